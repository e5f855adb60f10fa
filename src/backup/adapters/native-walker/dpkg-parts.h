/* The parts dpkg-info.c parses with (see dpkg-parts.c). */
#ifndef DPKG_PARTS_H
#define DPKG_PARTS_H
#include <stddef.h>
#include <stdint.h>

/** A growing byte buffer: `used` bytes of `size`. */
typedef struct {
  uint8_t *bytes;
  size_t used, size;
} Buf;

int room(Buf *b, size_t more);
int put(Buf *b, const void *from, size_t n);
int put32(Buf *b, uint32_t v);

#define HASH_START ((int32_t)2166136261u)
/* FNV-1a, as hashBytes in src/backup/domain/owned-files/byte-store.ts. */
static inline int32_t fnv(int32_t h, uint8_t byte) { return (int32_t)(((uint32_t)h ^ byte) * 16777619u); }

enum { NEWLINE = 10, SLASH = 47, DOT = 46 };

/* Each byte's value as a hex digit, -1 when none; filled by hexTable(). */
extern int8_t HEX[256];
void hexTable(void);

/* The folders by id, with each one's last stamping package and its parent (-2: not yet known). */
typedef struct {
  Buf bytes;
  uint32_t *at, *length, *stamp;
  int32_t *hash, *parent;
  uint32_t count, capacity;
  int32_t *slots;
  uint32_t mask;
} Folders;

int foldersInit(Folders *f);
void foldersFree(Folders *f);
int32_t folderId(Folders *f, const uint8_t *p, uint32_t n, int32_t h, int add);
int32_t parentOf(Folders *f, int32_t id);
int mark(Folders *f, int32_t id, uint32_t stamp);

/* One entry of an .md5sums file: its path's hash and bytes (from, to) and where its line (the hex digits) starts; together, one memory access. */
typedef struct {
  int32_t hash;
  uint32_t from, to, hexAt;
} Md5Entry;

/* One .md5sums file's digests by path: entries in the order of their first line; `duplicates` when a path has several lines; `next` the entry tried first. */
typedef struct {
  const uint8_t *bytes;
  int32_t *slots;
  Md5Entry *entries;
  uint32_t mask, count, capacity, slotCapacity, duplicates, next;
} Md5;

int md5Load(Md5 *m, const uint8_t *b, uint32_t end);
int64_t md5Find(Md5 *m, const uint8_t *path, uint32_t start, uint32_t end);
void md5Free(Md5 *m);

int readFile(const char *path, Buf *into, int *reading);

#endif
