/*
 * One .md5sums file indexed by path (Md5sumsIndex in src/backup/domain/dpkg/md5sums-index.ts,
 * whose answers it gives), and a list's paths looked up in it. Most lists name their paths in
 * their .md5sums' order, and the entry after the last one found is tried first; the others (this
 * machine's google-cloud-cli lists 50,000 paths in no such order) are looked up by hash, several
 * paths ahead fetched from memory while one is compared, since each lookup lands somewhere new
 * in an index too large for the cache.
 */
#include <stdlib.h>
#include <string.h>
#include "dpkg-md5.h"

enum { SPACE = 32, STAR = 42, SHORTEST = 35, AHEAD = 16, RING = 32 };

/*
 * The index's own hash (nothing else sees it, so it need not be the JavaScript's FNV-1a):
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

static int same(const Md5 *m, const Md5Entry *e, const uint8_t *path, uint32_t from, uint32_t to) {
  return e->to - e->from == to - from && memcmp(m->bytes + e->from, path + from, to - from) == 0;
}

/* Room for `lines` entries (a bound), the slots sized later for those found. */
static int reserve(Md5 *m, uint32_t lines) {
  if (lines <= m->capacity) return 0;
  free(m->entries);
  m->capacity = 0;
  if (!(m->entries = malloc(lines * sizeof *m->entries))) return -1;
  m->capacity = lines;
  return 0;
}

static int sizeSlots(Md5 *m, uint32_t entries) {
  uint32_t slots = 64;
  while (slots < entries * 2 + 2) slots *= 2;
  if (slots > m->slotCapacity) {
    free(m->slots);
    m->slotCapacity = 0;
    if (!(m->slots = malloc(slots * sizeof *m->slots))) return -1;
    m->slotCapacity = slots;
  }
  memset(m->slots, 0xff, slots * sizeof *m->slots);
  m->mask = slots - 1;
  return 0;
}

/* Entry `e` (read before entries[count] may be written over it) into the index; a later line of the same path wins. */
static void insert(Md5 *m, Md5Entry e) {
  for (uint32_t s = (uint32_t)e.hash & m->mask;; s = (s + 1) & m->mask) {
    Md5Slot *slot = &m->slots[s];
    if (slot->entry == -1) {
      m->entries[m->count] = e;
      *slot = (Md5Slot){e.hash, (int32_t)m->count++};
      return;
    }
    Md5Entry *old = &m->entries[slot->entry];
    if (slot->hash == e.hash && same(m, old, m->bytes, e.from, e.to)) {
      old->from = e.from, old->to = e.to, old->hexAt = e.hexAt;
      m->duplicates = 1;
      return;
    }
  }
}

/* Every digest line's entry, in line order, then indexed (in place: entry i moves to at most i). */
int md5Load(Md5 *m, const uint8_t *b, uint32_t end) {
  m->bytes = b;
  m->count = m->duplicates = m->next = 0;
  if (reserve(m, end / SHORTEST + 1)) return -1;
  uint32_t lines = 0;
  for (uint32_t s = 0; s < end;) {
    const uint8_t *newline = memchr(b + s, NEWLINE, end - s);
    uint32_t q = newline ? (uint32_t)(newline - b) : end;
    /* A path never holds the newline: pathStart wants hex digits and blanks before it. */
    int32_t path = pathStart(b, s, end);
    if (path >= 0) m->entries[lines++] = (Md5Entry){wordHash(b + path, q - (uint32_t)path), (uint32_t)path, q, s};
    s = q + 1;
  }
  if (sizeSlots(m, lines)) return -1;
  for (uint32_t i = 0; i < lines; i++) {
    if (i + AHEAD < lines) __builtin_prefetch(&m->slots[(uint32_t)m->entries[i + AHEAD].hash & m->mask]);
    insert(m, m->entries[i]);
  }
  return 0;
}

void md5Free(Md5 *m) { free(m->slots), free(m->entries); }

/* The paths ahead of the one being looked up: each one's hash, computed once; `line` says whose. */
typedef struct {
  int32_t hash[RING];
  uint32_t line[RING], next, active;
} Ahead;

/* The entry for the path `list[s + 1..e)` of hash `h`, or -1. */
static int32_t probe(const Md5 *m, const uint8_t *list, uint32_t s, uint32_t e, int32_t h) {
  for (uint32_t i = (uint32_t)h & m->mask;; i = (i + 1) & m->mask) {
    Md5Slot slot = m->slots[i];
    if (slot.entry == -1) return -1;
    if (slot.hash == h && same(m, &m->entries[slot.entry], list, s + 1, e)) return slot.entry;
  }
}

/* The 16 bytes that 32 hex digits (checked by pathStart) spell; decoded here, near the path just compared, not later by a parser that would fetch them again. */
static inline void decode(const uint8_t *hex, uint8_t *to) {
  for (int j = 0; j < 16; j++) to[j] = (uint8_t)((HEX[hex[2 * j]] << 4) | HEX[hex[2 * j + 1]]);
}

/* Whether line `k` is looked up: an absolute path, not skipped. */
#define WANTED(k) (!skip[k] && end[k] > start[k] && list[start[k]] == SLASH)

/*
 * After line `k`, the paths up to AHEAD lines on: each one's slot fetched from memory, and once
 * the pipeline runs, the entry of one halfway there and the path bytes of one a quarter of the way.
 */
static void fetchAhead(const Md5 *m, Ahead *a, const uint8_t *list, const uint32_t *start, const uint32_t *end, const uint8_t *skip, uint32_t n, uint32_t k) {
  if (a->next <= k) a->next = k + 1;
  for (; a->next < n && a->next <= k + AHEAD; a->next++) {
    uint32_t j = a->next;
    if (!WANTED(j)) continue;
    a->hash[j % RING] = wordHash(list + start[j] + 1, end[j] - start[j] - 1), a->line[j % RING] = j;
    __builtin_prefetch(&m->slots[(uint32_t)a->hash[j % RING] & m->mask]);
  }
  if (++a->active < AHEAD) return;
  for (uint32_t j = k + AHEAD / 4; j <= k + AHEAD / 2; j += AHEAD / 4) {
    if (j >= n || a->line[j % RING] != j) continue;
    Md5Slot slot = m->slots[(uint32_t)a->hash[j % RING] & m->mask];
    if (slot.entry < 0 || slot.hash != a->hash[j % RING]) continue;
    if (j == k + AHEAD / 2) __builtin_prefetch(&m->entries[slot.entry]);
    else __builtin_prefetch(m->bytes + m->entries[slot.entry].from);
  }
}

/*
 * md5Find for each wanted path: the entry after the last one found is tried first, as a list
 * mostly follows its .md5sums; once two paths in a row are not there, the index is asked
 * directly (with the next paths fetched ahead) until a path is found where the guess was.
 */
void md5FindAll(Md5 *m, const uint8_t *list, const uint32_t *start, const uint32_t *end, const uint8_t *skip, uint32_t n, uint32_t *hexAt, uint8_t *digest, uint32_t none) {
  Ahead a;
  uint32_t missed = 0;
  memset(a.line, 0xff, sizeof a.line);
  a.next = a.active = 0;
  for (uint32_t k = 0; k < n; k++) {
    hexAt[k] = none;
    if (m->count == 0 || !WANTED(k)) continue;
    if (missed < 2 && !m->duplicates && m->next < m->count && same(m, &m->entries[m->next], list, start[k] + 1, end[k])) {
      hexAt[k] = m->entries[m->next++].hexAt, missed = 0, a.active = 0;
      decode(m->bytes + hexAt[k], digest + 16 * (size_t)k);
      continue;
    }
    int32_t h = a.line[k % RING] == k ? a.hash[k % RING] : wordHash(list + start[k] + 1, end[k] - start[k] - 1);
    int32_t e = probe(m, list, start[k], end[k], h);
    if (e >= 0) hexAt[k] = m->entries[e].hexAt, decode(m->bytes + hexAt[k], digest + 16 * (size_t)k);
    /* Found where the guess was: the list follows the .md5sums again. */
    if (e >= 0 && (uint32_t)e == m->next && missed >= 2) missed = 0, a.active = 0;
    else if (++missed >= 2) fetchAhead(m, &a, list, start, end, skip, n, k);
    if (e >= 0) m->next = (uint32_t)e + 1;
  }
}
