/*
 * The work on one package that needs no other package: its list split into paths and hashed,
 * and each path's digest line found in its .md5sums. Done by the thread that read the files
 * (dpkg-reader.c), so it overlaps the parsing thread's work on the packages before it; what
 * needs the shared folder table (ids, marks, directories) stays in dpkg-info.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dpkg-lines.h"

static int grow(Lines *l) {
  uint32_t capacity = l->capacity ? l->capacity * 2 : 4096;
#define GROW(field) do { void *p = realloc(l->field, capacity * sizeof *l->field); if (!p) return -1; l->field = p; } while (0)
  GROW(start); GROW(end); GROW(hexAt); GROW(slash); GROW(hash); GROW(folderHash); GROW(fresh); GROW(parent);
  void *digest = realloc(l->digest, 16 * (size_t)capacity);
  if (!digest) return -1;
  l->digest = digest;
#undef GROW
  l->capacity = capacity;
  return 0;
}

/*
 * scan()'s split and hashes (see dpkg-info.c): a path's folder is mostly the previous one's,
 * then only compared, not hashed again.
 */
static int split(Lines *l, const uint8_t *b, uint32_t n) {
  uint32_t lastAt = 0, lastLength = 0;
  int32_t lastHash = 0, seen = 0;
  l->count = 0;
  for (uint32_t s = 0; s < n;) {
    const uint8_t *newline = memchr(b + s, NEWLINE, n - s), *cut;
    uint32_t i = newline ? (uint32_t)(newline - b) : n, k = l->count;
    if (i > s) {
      if (k == l->capacity && grow(l)) return -1;
      int32_t slash = (cut = memrchr(b + s, SLASH, i - s)) ? (int32_t)(cut - b) : -1, h = HASH_START;
      uint32_t from = s;
      l->fresh[k] = 0;
      if (slash >= 0) {
        uint32_t length = (uint32_t)slash - s;
        if (!seen || length != lastLength || memcmp(b + lastAt, b + s, length) != 0) {
          for (uint32_t j = s; j < (uint32_t)slash; j++) h = fnv(h, b[j]);
          lastHash = h, seen = 1, l->fresh[k] = 1;
        }
        lastAt = s, lastLength = length, h = lastHash, from = (uint32_t)slash;
      }
      l->folderHash[k] = h;
      for (uint32_t j = from; j < i; j++) h = fnv(h, b[j]);
      uint32_t e = i;
      if (e - s == 2 && b[s] == SLASH && b[s + 1] == DOT) e = s + 1, h = fnv(HASH_START, SLASH);
      l->start[k] = s, l->end[k] = e, l->slash[k] = slash, l->hash[k] = h;
      l->count++;
    }
    s = i + 1;
  }
  return 0;
}

/* Whether the path after path `k` is inside it: then `k` is a directory, whose record has no digest. */
static int parentOfNext(const Lines *l, const uint8_t *b, uint32_t k) {
  if (k + 1 >= l->count) return 0;
  uint32_t n = l->end[k] - l->start[k], next = l->start[k + 1];
  return l->end[k + 1] - next > n && b[next + n] == SLASH && memcmp(b + next, b + l->start[k], n) == 0;
}

int prepareLines(Lines *l, const Buf *list, const Buf *sums, Md5 *md5) {
  if (split(l, list->bytes, (uint32_t)list->used) || md5Load(md5, sums->bytes, (uint32_t)sums->used)) return ENOMEM;
  for (uint32_t k = 0; k < l->count; k++) l->parent[k] = (uint8_t)parentOfNext(l, list->bytes, k);
  md5FindAll(md5, list->bytes, l->start, l->end, l->parent, l->count, l->hexAt, l->digest, NO_DIGEST);
  return 0;
}

void linesFree(Lines *l) {
  free(l->start), free(l->end), free(l->hexAt), free(l->slash), free(l->hash), free(l->folderHash), free(l->fresh), free(l->parent), free(l->digest);
}
