/* One .md5sums file indexed by path (see dpkg-md5.c). */
#ifndef DPKG_MD5_H
#define DPKG_MD5_H
#include "dpkg-parts.h"

/* One entry of an .md5sums file: its path's hash and bytes (from, to) and where its line (the hex digits) starts; together, one memory access. */
typedef struct {
  int32_t hash;
  uint32_t from, to, hexAt;
} Md5Entry;

/* A slot of the index: an entry's hash beside its number (-1: empty), so a probe past another path reads no entry. */
typedef struct {
  int32_t hash, entry;
} Md5Slot;

/* One .md5sums file's digests by path: entries in the order of their first line; `duplicates` when a path has several lines; `next` the entry tried first. */
typedef struct {
  const uint8_t *bytes;
  Md5Slot *slots;
  Md5Entry *entries;
  uint32_t mask, count, capacity, slotCapacity, duplicates, next;
} Md5;

int md5Load(Md5 *m, const uint8_t *b, uint32_t end);
void md5Free(Md5 *m);

/* Where the hex digits of each of `n` paths of `list` start (`none`: no line), into `hexAt`, and the digest they spell (16 bytes a path) into `digest`; see dpkg-md5.c. */
void md5FindAll(Md5 *m, const uint8_t *list, const uint32_t *start, const uint32_t *end, const uint8_t *skip, uint32_t n, uint32_t *hexAt, uint8_t *digest, uint32_t none);

#endif
