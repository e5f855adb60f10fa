/*
 * The parts dpkg-info.c parses with: a growing byte buffer, the folder table (FolderTable in
 * src/backup/domain/owned-files/folder-table.ts, with DpkgTableBuilder's stamps and parents),
 * one .md5sums file indexed by path (Md5sumsIndex in src/backup/domain/dpkg/md5sums-index.ts) and
 * a whole-file read. Each is a line-for-line twin of its TypeScript, so both give the same answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

int8_t HEX[256];
void hexTable(void) {
  memset(HEX, -1, sizeof HEX);
  for (int d = 0; d < 10; d++) HEX['0' + d] = (int8_t)d;
  for (int d = 0; d < 6; d++) HEX['a' + d] = HEX['A' + d] = (int8_t)(10 + d);
}

enum { SPACE = 32, STAR = 42, SHORTEST = 35, UNKNOWN = -2 };

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

/* ---- One .md5sums file indexed by path. ---- */

/*
 * The md5 index's own hash (nothing else sees it, so it need not be the JavaScript's FNV-1a):
 * eight bytes a step, where FNV-1a takes one. Equal paths are still found by comparing bytes.
 */
static inline int32_t wordHash(const uint8_t *x, uint32_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
  uint32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, x + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  for (w = 0; i < n; i++) w = (w << 8) | x[i];
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  return (int32_t)(h ^ (h >> 29) ^ (h >> 40));
}
static int32_t pathStart(const uint8_t *b, uint32_t s, uint32_t end) {
  if (end - s < SHORTEST) return -1;
  for (uint32_t i = s; i < s + 32; i++) if (HEX[b[i]] < 0) return -1;
  if (b[s + 32] != SPACE || (b[s + 33] != SPACE && b[s + 33] != STAR) || b[s + 34] == NEWLINE) return -1;
  uint32_t p = s + 34;
  for (;;) {
    if (p < end && b[p] == SLASH) p++;
    else if (p + 1 < end && b[p] == DOT && b[p + 1] == SLASH) p += 2;
    else return (int32_t)p;
  }
}

static int md5Size(Md5 *m, uint32_t entries) {
  uint32_t slots = 64;
  while (slots < entries * 2 + 2) slots *= 2;
  if (slots > m->slotCapacity) {
    free(m->slots);
    if (!(m->slots = malloc(slots * sizeof(int32_t)))) return -1;
    m->slotCapacity = slots;
  }
  memset(m->slots, 0xff, slots * sizeof(int32_t));
  m->mask = slots - 1;
  if (entries > m->capacity) {
    free(m->entries);
    if (!(m->entries = malloc(entries * sizeof *m->entries))) return -1;
    m->capacity = entries;
  }
  return 0;
}

static int same(const Md5 *m, const Md5Entry *e, const uint8_t *path, uint32_t from, uint32_t to) {
  return e->to - e->from == to - from && memcmp(m->bytes + e->from, path + from, to - from) == 0;
}

static void md5Insert(Md5 *m, int32_t h, uint32_t from, uint32_t to, uint32_t hexAt) {
  for (uint32_t s = (uint32_t)h & m->mask;; s = (s + 1) & m->mask) {
    int32_t e = m->slots[s];
    if (e == -1) {
      m->entries[m->count] = (Md5Entry){h, from, to, hexAt};
      m->slots[s] = (int32_t)m->count++;
      return;
    }
    Md5Entry *entry = &m->entries[e];
    if (entry->hash == h && same(m, entry, m->bytes, from, to)) {
      entry->from = from, entry->to = to, entry->hexAt = hexAt;
      m->duplicates = 1;
      return;
    }
  }
}

int md5Load(Md5 *m, const uint8_t *b, uint32_t end) {
  m->bytes = b;
  m->count = m->duplicates = m->next = 0;
  if (md5Size(m, end / SHORTEST + 1)) return -1;
  for (uint32_t s = 0; s < end;) {
    const uint8_t *newline = memchr(b + s, NEWLINE, end - s);
    uint32_t q = newline ? (uint32_t)(newline - b) : end;
    /* A path never holds the newline: pathStart wants hex digits and blanks before it. */
    int32_t path = pathStart(b, s, end);
    if (path >= 0) md5Insert(m, wordHash(b + path, q - (uint32_t)path), (uint32_t)path, q, s);
    s = q + 1;
  }
  return 0;
}

/*
 * Where the hex digits for the absolute path `path[start..end)` start, or -1. A .md5sums file
 * mostly names its paths in the order of the .list, so the entry after the last one found is
 * tried first: when no path is in the file twice, the one entry that has the path is the answer.
 */
int64_t md5Find(Md5 *m, const uint8_t *path, uint32_t start, uint32_t end) {
  if (m->count == 0 || end <= start || path[start] != SLASH) return -1;
  if (!m->duplicates && m->next < m->count && same(m, &m->entries[m->next], path, start + 1, end)) return m->entries[m->next++].hexAt;
  int32_t h = wordHash(path + start + 1, end - start - 1);
  for (uint32_t s = (uint32_t)h & m->mask;; s = (s + 1) & m->mask) {
    int32_t e = m->slots[s];
    if (e == -1) return -1;
    if (m->entries[e].hash == h && same(m, &m->entries[e], path, start + 1, end)) {
      m->next = (uint32_t)e + 1;
      return m->entries[e].hexAt;
    }
  }
}

void md5Free(Md5 *m) { free(m->slots), free(m->entries); }

/* ---- Reading a whole file. ---- */

/* Reads `path` into `into` (from 0); 0, or the errno, `*reading` set when open() worked and read() failed. */
int readFile(const char *path, Buf *into, int *reading) {
  into->used = 0;
  *reading = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  int error = 0;
  if (fstat(fd, &st) == 0 && st.st_size > 0 && room(into, (size_t)st.st_size + 1)) error = ENOMEM;
  while (!error) {
    if (room(into, 65536)) {
      error = ENOMEM;
      break;
    }
    ssize_t got = read(fd, into->bytes + into->used, into->size - into->used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) error = errno, *reading = 1;
    if (got <= 0) break;
    into->used += (size_t)got;
  }
  close(fd);
  return error;
}
