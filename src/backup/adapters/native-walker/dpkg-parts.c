/*
 * The parts dpkg-info.c parses with: a growing byte buffer, the folder table (FolderTable in
 * src/backup/domain/owned-files/folder-table.ts, with DpkgTableBuilder's stamps and parents) and
 * a whole-file read (one .md5sums file indexed by path is dpkg-md5.c). Each is a line-for-line
 * twin of its TypeScript, so both give the same answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dpkg-parts.h"

/* Room for `more` bytes after `used`; 0, or -1 when out of memory. */
int room(Buf *b, size_t more) {
  if (b->used + more <= b->size) return 0;
  size_t size = b->size ? b->size * 2 : 4096;
  while (size < b->used + more) size *= 2;
  uint8_t *next = realloc(b->bytes, size);
  if (!next) return -1;
  b->bytes = next;
  b->size = size;
  return 0;
}

int put(Buf *b, const void *from, size_t n) {
  if (room(b, n)) return -1;
  if (n) memcpy(b->bytes + b->used, from, n);
  b->used += n;
  return 0;
}

int put32(Buf *b, uint32_t v) { return put(b, &v, 4); }

/* A constant, not filled at each load: two loads (on two worker threads) may run at once. */
const int8_t HEX[256] = {
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
  -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

enum { UNKNOWN = -2 };

/* ---- The folder table. ---- */
int foldersInit(Folders *f) {
  memset(f, 0, sizeof *f);
  f->mask = 1023;
  f->slots = malloc(1024 * sizeof(int32_t));
  if (!f->slots) return -1;
  memset(f->slots, 0xff, 1024 * sizeof(int32_t));
  return 0;
}

void foldersFree(Folders *f) {
  free(f->bytes.bytes);
  free(f->at), free(f->length), free(f->stamp), free(f->hash), free(f->parent), free(f->slots);
}

static int rehash(Folders *f) {
  uint32_t slots = (f->mask + 1) * 2;
  int32_t *next = malloc(slots * sizeof(int32_t));
  if (!next) return -1;
  memset(next, 0xff, slots * sizeof(int32_t));
  for (uint32_t id = 0; id < f->count; id++) {
    uint32_t s = (uint32_t)f->hash[id] & (slots - 1);
    while (next[s] != -1) s = (s + 1) & (slots - 1);
    next[s] = (int32_t)id;
  }
  free(f->slots);
  f->slots = next;
  f->mask = slots - 1;
  return 0;
}

static int growFolders(Folders *f) {
  uint32_t capacity = f->capacity ? f->capacity * 2 : 1024;
#define GROW(field) do { void *p = realloc(f->field, capacity * sizeof *f->field); if (!p) return -1; f->field = p; } while (0)
  GROW(at); GROW(length); GROW(stamp); GROW(hash); GROW(parent);
#undef GROW
  f->capacity = capacity;
  return 0;
}

/* The id of the folder `p[0..n)` (hash `h`); added when new if `add`, else -1; -3 when out of memory. */
int32_t folderId(Folders *f, const uint8_t *p, uint32_t n, int32_t h, int add) {
  for (uint32_t s = (uint32_t)h & f->mask;; s = (s + 1) & f->mask) {
    int32_t id = f->slots[s];
    if (id == -1) {
      if (!add) return -1;
      if (f->count == f->capacity && growFolders(f)) return -3;
      uint32_t at = (uint32_t)f->bytes.used;
      if (put(&f->bytes, p, n)) return -3;
      id = (int32_t)f->count++;
      f->at[id] = at, f->length[id] = n, f->hash[id] = h, f->stamp[id] = 0, f->parent[id] = UNKNOWN;
      f->slots[s] = id;
      if (f->count * 2 > f->mask + 1 && rehash(f)) return -3;
      return id;
    }
    if (f->hash[id] == h && f->length[id] == n && memcmp(f->bytes.bytes + f->at[id], p, n) == 0) return id;
  }
}

/* parentFolderId: the folder's text up to its last slash, added when new; -1 when it has none. */
int32_t parentOf(Folders *f, int32_t id) {
  if (f->parent[id] != UNKNOWN) return f->parent[id];
  uint32_t n = f->length[id];
  int32_t cut = -1;
  for (int32_t i = (int32_t)n - 1; i >= 0; i--)
    if (f->bytes.bytes[f->at[id] + (uint32_t)i] == SLASH) { cut = i; break; }
  int32_t p = -1;
  if (cut >= 0) {
    /* A copy: adding the prefix may move the bytes it is cut from. */
    uint8_t *prefix = malloc((size_t)cut + 1);
    if (!prefix) return -3;
    memcpy(prefix, f->bytes.bytes + f->at[id], (size_t)cut);
    int32_t h = HASH_START;
    for (int32_t i = 0; i < cut; i++) h = fnv(h, prefix[i]);
    p = folderId(f, prefix, (uint32_t)cut, h, 1);
    free(prefix);
    if (p == -3) return -3;
  }
  f->parent[id] = p;
  return p;
}

/* Marks folder `id` and its parents as holding a path of package `stamp`. */
int mark(Folders *f, int32_t id, uint32_t stamp) {
  int32_t g = id;
  for (; g >= 0; g = parentOf(f, g)) {
    if (f->stamp[g] == stamp) return 0;
    f->stamp[g] = stamp;
  }
  return g == -3 ? -1 : 0;
}

/* ---- Reading a whole file. ---- */

/* Files this large or larger are mapped rather than read (a few on a system, but most of its bytes). */
enum { MAP_FROM = 256 * 1024 };

/* Drops a mapping a previous readFile made. */
static void unmap(FileBytes *f) {
  if (f->mapped) munmap(f->view.bytes, f->mapped);
  f->mapped = 0;
  f->view = (Buf){0};
}

void fileBytesFree(FileBytes *f) {
  unmap(f);
  free(f->heap.bytes);
  f->heap = (Buf){0};
}

/* Reads from `fd` into `into`, up to `whole` bytes when that is known (a regular file's size). */
static int readInto(int fd, size_t whole, Buf *into, int *reading) {
  int error = whole && room(into, whole + 1) ? ENOMEM : 0;
  while (!error && !(whole && into->used == whole)) {
    if (room(into, whole > into->used ? whole - into->used : 65536)) return ENOMEM;
    ssize_t got = read(fd, into->bytes + into->used, into->size - into->used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) error = errno, *reading = 1;
    if (got <= 0) break;
    into->used += (size_t)got;
  }
  return error;
}

/*
 * Reads `path` (relative to the folder `dir`, or AT_FDCWD) into `into`; 0, or the errno,
 * `*reading` set when open() worked and read() failed. A regular file's read stops at the size
 * fstat() gave, as node's readFileSync does: no further read() only to be told it is the end.
 * A large regular file is mapped whole, its pages mapped at once (MAP_POPULATE); a file that
 * cannot be mapped is read. dpkg replaces its info files by rename (its atomic files), so a
 * mapping keeps the bytes it had; one truncated in place while mapped would end the process with
 * SIGBUS, which nothing that keeps this database does.
 */
int readFile(int dir, const char *path, FileBytes *into, int *reading) {
  unmap(into);
  into->heap.used = 0;
  *reading = 0;
  int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  size_t whole = 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) whole = (size_t)st.st_size;
  void *map = whole >= MAP_FROM ? mmap(NULL, whole, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
  int error = 0;
  if (map != MAP_FAILED) {
    into->mapped = whole;
    into->view = (Buf){map, whole, whole};
  } else {
    error = readInto(fd, whole, &into->heap, reading);
    into->view = into->heap;
  }
  close(fd);
  return error;
}
