/*
 * The dpkg database's info files parsed straight into the columns of the owned-file table: the
 * C twin of add() and scan() in src/backup/domain/dpkg/dpkg-table-builder.ts, giving the same
 * rows and the same folder ids in the same order (a property test loads generated databases
 * both ways). A row that takes the builder's string route (a path without a slash, or one whose
 * hash is a conffile's or a diverted path's) is left blank here and handed back, for the
 * JavaScript to fill. dpkg-info-napi.c is the call; dpkg-reader.c reads the files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dpkg-load.h"

static int growRows(Rows *r, uint32_t more) {
  if (r->count + more <= r->capacity) return 0;
  uint32_t capacity = r->capacity ? r->capacity * 2 : 65536;
  while (capacity < r->count + more) capacity *= 2;
#define GROW(field) do { void *p = realloc(r->field, capacity * sizeof *r->field); if (!p) return -1; r->field = p; } while (0)
  GROW(folder); GROW(nameAt); GROW(nameLength); GROW(digestAt); GROW(mode); GROW(verify); GROW(pkg); GROW(bits); GROW(digestLength);
#undef GROW
  r->capacity = capacity;
  return 0;
}

static int growLines(Load *L) {
  uint32_t capacity = L->lineCapacity ? L->lineCapacity * 2 : 4096;
#define GROW(field) do { void *p = realloc(L->field, capacity * sizeof *L->field); if (!p) return -1; L->field = p; } while (0)
  GROW(start); GROW(end); GROW(slash); GROW(hash); GROW(folder);
#undef GROW
  L->lineCapacity = capacity;
  return 0;
}

/*
 * scan(): the list's paths (blank lines skipped, `/.` read as `/`), hashed, their folders marked;
 * -1 when out of memory. A path's folder is mostly the previous one's: then neither hashed nor
 * looked up again, only compared (which changes no id: a folder once added stays).
 */
static int64_t scan(Load *L) {
  const uint8_t *b = L->list->bytes;
  uint32_t n = (uint32_t)L->list->used, k = 0, lastAt = 0, lastLength = 0;
  int32_t lastHash = 0, lastFolder = -1;
  for (uint32_t s = 0; s < n;) {
    const uint8_t *newline = memchr(b + s, NEWLINE, n - s), *cut;
    uint32_t i = newline ? (uint32_t)(newline - b) : n;
    if (i > s) {
      if (k == L->lineCapacity && growLines(L)) return -1;
      int32_t slash = (cut = memrchr(b + s, SLASH, i - s)) ? (int32_t)(cut - b) : -1, h = HASH_START, folder = -1;
      uint32_t from = s;
      if (slash >= 0) {
        uint32_t length = (uint32_t)slash - s;
        if (lastFolder < 0 || length != lastLength || memcmp(b + lastAt, b + s, length) != 0) {
          for (uint32_t j = s; j < (uint32_t)slash; j++) h = fnv(h, b[j]);
          if ((lastFolder = folderId(&L->folders, b + s, length, h, 1)) == -3) return -1;
          lastHash = h;
        }
        lastAt = s, lastLength = length, folder = lastFolder, h = lastHash, from = (uint32_t)slash;
      }
      for (uint32_t j = from; j < i; j++) h = fnv(h, b[j]);
      uint32_t e = i;
      if (e - s == 2 && b[s] == SLASH && b[s + 1] == DOT) e = s + 1, h = fnv(HASH_START, SLASH);
      L->start[k] = s, L->end[k] = e, L->slash[k] = slash, L->hash[k] = h, L->folder[k] = folder;
      /* Every parent of a listed path is a directory; `/` is one of every path but itself. */
      if (e - s != 1 || b[s] != SLASH) {
        if (mark(&L->folders, folder, L->stamp)) return -1;
        if (b[s] != SLASH) {
          int32_t top = folderId(&L->folders, b, 0, HASH_START, 1);
          if (top == -3 || mark(&L->folders, top, L->stamp)) return -1;
        }
      }
      k++;
    }
    s = i + 1;
  }
  return k;
}

static int isDirectory(Load *L, uint32_t s, uint32_t e, int32_t h) {
  const uint8_t *b = L->list->bytes;
  int root = e - s == 1 && b[s] == SLASH;
  int32_t id = root ? folderId(&L->folders, b, 0, HASH_START, 0) : folderId(&L->folders, b + s, e - s, h, 0);
  return id >= 0 && L->folders.stamp[id] == L->stamp;
}

/* The hashes that send a path of package `p` the string route: the diverted paths' and its conffiles'. */
static int oddSet(Load *L, uint32_t p) {
  uint32_t from = (uint32_t)L->oddOffsets[p], to = (uint32_t)L->oddOffsets[p + 1], count = L->divCount + to - from;
  uint32_t slots = 16;
  while (slots < count * 2 + 2) slots *= 2;
  if (slots > L->setSlots) {
    free(L->setHash), free(L->setUsed);
    L->setHash = malloc(slots * sizeof(int32_t)), L->setUsed = malloc(slots);
    if (!L->setHash || !L->setUsed) return -1;
    L->setSlots = slots;
  }
  L->setMask = slots - 1;
  memset(L->setUsed, 0, slots);
  for (uint32_t i = 0; i < count; i++) {
    int32_t h = i < L->divCount ? L->divHashes[i] : L->oddHashes[from + i - L->divCount];
    uint32_t s = (uint32_t)h & L->setMask;
    while (L->setUsed[s] && L->setHash[s] != h) s = (s + 1) & L->setMask;
    L->setHash[s] = h, L->setUsed[s] = 1;
  }
  return 0;
}

static int isOdd(const Load *L, int32_t h) {
  for (uint32_t s = (uint32_t)h & L->setMask; L->setUsed[s]; s = (s + 1) & L->setMask)
    if (L->setHash[s] == h) return 1;
  return 0;
}

/*
 * What adding the string route's record adds to the folders: that of the path where the file is
 * (divertedPath: the last diversion of the path, unless package `p` is the diverting one).
 */
static int divertedFolder(Load *L, uint32_t p, const uint8_t *path, uint32_t n) {
  const uint8_t *target = path;
  const int32_t *length = L->textLengths;
  uint32_t size = n;
  for (uint32_t d = L->divCount; d-- > 0;) {
    if ((uint32_t)length[3 * d] != n || memcmp(L->texts + L->textAt[3 * d], path, n) != 0) continue;
    int32_t by = length[3 * d + 2], name = length[3 * L->divCount + p];
    if (by < 0 || by != name || memcmp(L->texts + L->textAt[3 * d + 2], L->texts + L->textAt[3 * L->divCount + p], (size_t)by) != 0)
      target = L->texts + L->textAt[3 * d + 1], size = (uint32_t)length[3 * d + 1];
    break;
  }
  int32_t slash = (int32_t)size - 1;
  while (slash >= 0 && target[slash] != SLASH) slash--;
  if (slash < 0) return 0;
  int32_t h = HASH_START;
  for (int32_t i = 0; i < slash; i++) h = fnv(h, target[i]);
  return folderId(&L->folders, target, (uint32_t)slash, h, 1) == -3 ? -1 : 0;
}

/* One row: line `k` of package `p`, whose owner is text `text`. */
static int addRow(Load *L, uint32_t k, uint32_t p, int32_t text) {
  const int32_t *set = L->settings;
  const uint8_t *b = L->list->bytes;
  uint32_t s = L->start[k], e = L->end[k];
  int directory = isDirectory(L, s, e, L->hash[k]);
  /* A directory's record has no digest, whatever the .md5sums says. */
  int64_t hexAt = directory ? -1 : md5Find(&L->md5, b, s, e);
  Rows *r = &L->rows;
  uint32_t i = r->count++;
  int file = !directory && hexAt >= 0, digest = set[CONTENT] && file;
  r->pkg[i] = (uint32_t)text;
  r->folder[i] = r->nameAt[i] = r->nameLength[i] = r->digestAt[i] = r->mode[i] = r->verify[i] = 0;
  r->bits[i] = 0, r->digestLength[i] = 0;
  if (L->slash[k] < 0 || isOdd(L, L->hash[k])) {
    uint32_t record[5] = {i, p, (uint32_t)L->oddBytes.used, e - s, (uint32_t)directory | (hexAt >= 0 ? 2u : 0u)};
    if (put(&L->odd, record, sizeof record) || put(&L->oddBytes, b + s, e - s) || divertedFolder(L, p, b + s, e - s)) return -1;
    return hexAt >= 0 ? put(&L->oddBytes, L->sums->bytes + hexAt, 32) : 0;
  }
  uint32_t name = (uint32_t)L->slash[k] + 1;
  r->folder[i] = (uint32_t)L->folder[k];
  r->nameAt[i] = (uint32_t)L->names.used;
  r->nameLength[i] = e - name;
  if (put(&L->names, b + name, e - name)) return -1;
  r->mode[i] = (uint32_t)(directory ? set[MODE_DIR] : file ? set[MODE_FILE] : set[MODE_LINK]);
  r->verify[i] = (uint32_t)(directory ? set[VERIFY_DIR] : file ? set[VERIFY_FILE] : set[VERIFY_LINK]);
  if (digest) {
    if (room(&L->digests, 16)) return -1;
    r->digestAt[i] = (uint32_t)L->digests.used;
    r->digestLength[i] = 16;
    r->bits[i] = (uint16_t)set[MD5_BITS];
    const uint8_t *hex = L->sums->bytes + hexAt;
    for (int j = 0; j < 16; j++) L->digests.bytes[L->digests.used++] = (uint8_t)((HEX[hex[2 * j]] << 4) | HEX[hex[2 * j + 1]]);
  }
  return 0;
}

/* Package `p`, whose files are read; 0 or an errno. */
int addPackage(Load *L, uint32_t p, const InfoFiles *files) {
  if (files->error) {
    L->reading = files->reading;
    L->errorPath.used = 0;
    return put(&L->errorPath, files->errorPath.bytes, files->errorPath.used) ? ENOMEM : files->error;
  }
  if (!files->listed) return 0;
  L->list = &files->list, L->sums = &files->sums;
  L->listed[p] = 1;
  L->stamp++;
  if (md5Load(&L->md5, L->sums->bytes, (uint32_t)L->sums->used)) return ENOMEM;
  int64_t lines = scan(L);
  if (lines < 0 || growRows(&L->rows, (uint32_t)lines) || oddSet(L, p)) return ENOMEM;
  int32_t key = L->keys[p], text = L->settings[ROOT_TEXT];
  if (key >= 0) {
    if (L->textOfKey[key] < 0) L->textOfKey[key] = L->nextText++;
    text = L->textOfKey[key];
  }
  for (uint32_t k = 0; k < (uint32_t)lines; k++)
    if (addRow(L, k, p, text)) return ENOMEM;
  return 0;
}

void freeLoad(Load *L) {
  foldersFree(&L->folders);
  md5Free(&L->md5);
  Buf *bufs[] = {&L->names, &L->digests, &L->odd, &L->oddBytes, &L->errorPath};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) free(bufs[i]->bytes);
  Rows *r = &L->rows;
  free(r->folder), free(r->nameAt), free(r->nameLength), free(r->digestAt), free(r->mode), free(r->verify), free(r->pkg), free(r->bits), free(r->digestLength);
  free(L->listed), free(L->textOfKey), free(L->start), free(L->end), free(L->slash), free(L->hash), free(L->folder);
  free(L->setHash), free(L->setUsed), free(L->textAt);
}

