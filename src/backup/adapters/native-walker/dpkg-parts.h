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

/* Each byte's value as a hex digit, -1 when none. */
extern const int8_t HEX[256];

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

/*
 * A whole file's bytes (readFile): `view` is what to read. A small file is read into `heap`, kept
 * and reused from file to file; a large one is mapped (`mapped` bytes, until the next readFile or
 * fileBytesFree): fresh memory for it cost a page fault per 4 KB, ~15 us each on a VM.
 */
typedef struct {
  Buf view, heap;
  size_t mapped;
} FileBytes;

int readFile(int dir, const char *path, FileBytes *into, int *reading);
void fileBytesFree(FileBytes *f);

#endif
