/* One package's list split into paths, hashed and matched to its digests (see dpkg-lines.c). */
#ifndef DPKG_LINES_H
#define DPKG_LINES_H
#include "dpkg-md5.h"

/* No digest line for the path (or none looked up: the path is certainly a directory). */
#define NO_DIGEST UINT32_MAX

/*
 * The list's non-blank lines: each path's bytes (`/.` read as `/`), its last slash (-1: none),
 * its FNV-1a hash and its folder's, whether its folder differs from the previous slashed line's,
 * whether it is certainly a directory (the next path is inside it), where its .md5sums digits
 * start and the digest they spell (16 bytes a line, set when hexAt is).
 */
typedef struct {
  uint32_t *start, *end, *hexAt;
  int32_t *slash, *hash, *folderHash;
  uint8_t *fresh, *parent, *digest;
  uint32_t count, capacity;
} Lines;

/* Splits `list` into `lines` and looks each path up in `sums` (indexed in `md5`); 0 or ENOMEM. */
int prepareLines(Lines *lines, const Buf *list, const Buf *sums, Md5 *md5);
void linesFree(Lines *lines);

#endif
