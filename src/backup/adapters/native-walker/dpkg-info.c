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

static int growLines(Load *L, uint32_t lines) {
  if (lines <= L->lineCapacity) return 0;
  uint32_t capacity = L->lineCapacity ? L->lineCapacity : 4096;
  while (capacity < lines) capacity *= 2;
  int32_t *folder = realloc(L->folder, capacity * sizeof *folder);
  if (!folder) return -1;
  L->folder = folder, L->lineCapacity = capacity;
  return 0;
}

/*
 * scan(): each path's folder (split and hashed by dpkg-lines.c), and its parents marked; -1
 * when out of memory. A path's folder is mostly the previous one's: then not looked up again
 * (which changes no id: a folder once added stays).
 */
static int scan(Load *L) {
  const uint8_t *b = L->list->bytes;
  const Lines *l = L->lines;
  int32_t lastFolder = -1;
  if (growLines(L, l->count)) return -1;
  for (uint32_t k = 0; k < l->count; k++) {
    uint32_t s = l->start[k], e = l->end[k];
    int32_t folder = -1;
    if (l->slash[k] >= 0) {
      if (l->fresh[k] && (lastFolder = folderId(&L->folders, b + s, (uint32_t)l->slash[k] - s, l->folderHash[k], 1)) == -3) return -1;
      folder = lastFolder;
    }
    L->folder[k] = folder;
    /* Every parent of a listed path is a directory; `/` is one of every path but itself. */
    if (e - s != 1 || b[s] != SLASH) {
      if (mark(&L->folders, folder, L->stamp)) return -1;
      if (b[s] != SLASH) {
        int32_t top = folderId(&L->folders, b, 0, HASH_START, 1);
        if (top == -3 || mark(&L->folders, top, L->stamp)) return -1;
      }
    }
  }
  return 0;
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

/* The digest's 32 hex digits, as the .md5sums spelled them but in lower case (all the JavaScript makes of them). */
static int putHex(Buf *b, const uint8_t *digest) {
  static const char digits[] = "0123456789abcdef";
  if (room(b, 32)) return -1;
  for (int j = 0; j < 16; j++) b->bytes[b->used++] = (uint8_t)digits[digest[j] >> 4], b->bytes[b->used++] = (uint8_t)digits[digest[j] & 15];
  return 0;
}

/* One row: line `k` of package `p`, whose owner is text `text`. */
static int addRow(Load *L, uint32_t k, uint32_t p, int32_t text) {
  const int32_t *set = L->settings;
  const uint8_t *b = L->list->bytes;
  const Lines *l = L->lines;
  uint32_t s = l->start[k], e = l->end[k];
  /* A path the next one is inside was marked a folder of this package by scan(). */
  int directory = l->parent[k] || isDirectory(L, s, e, l->hash[k]);
  /* A directory's record has no digest, whatever the .md5sums says. */
  int64_t hexAt = directory || l->hexAt[k] == NO_DIGEST ? -1 : (int64_t)l->hexAt[k];
  Rows *r = &L->rows;
  uint32_t i = r->count++;
  int file = !directory && hexAt >= 0, digest = set[CONTENT] && file;
  r->pkg[i] = (uint32_t)text;
  r->folder[i] = r->nameAt[i] = r->nameLength[i] = r->digestAt[i] = r->mode[i] = r->verify[i] = 0;
  r->bits[i] = 0, r->digestLength[i] = 0;
  if (l->slash[k] < 0 || isOdd(L, l->hash[k])) {
    uint32_t record[5] = {i, p, (uint32_t)L->oddBytes.used, e - s, (uint32_t)directory | (hexAt >= 0 ? 2u : 0u)};
    if (put(&L->odd, record, sizeof record) || put(&L->oddBytes, b + s, e - s) || divertedFolder(L, p, b + s, e - s)) return -1;
    return hexAt >= 0 ? putHex(&L->oddBytes, l->digest + 16 * (size_t)k) : 0;
  }
  uint32_t name = (uint32_t)l->slash[k] + 1;
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
    memcpy(L->digests.bytes + L->digests.used, l->digest + 16 * (size_t)k, 16);
    L->digests.used += 16;
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
  L->list = &files->list.view, L->lines = &files->lines;
  L->listed[p] = 1;
  L->stamp++;
  uint32_t lines = L->lines->count;
  if (scan(L) || growRows(&L->rows, lines) || oddSet(L, p)) return ENOMEM;
  int32_t key = L->keys[p], text = L->settings[ROOT_TEXT];
  if (key >= 0) {
    if (L->textOfKey[key] < 0) L->textOfKey[key] = L->nextText++;
    text = L->textOfKey[key];
  }
  for (uint32_t k = 0; k < lines; k++)
    if (addRow(L, k, p, text)) return ENOMEM;
  return 0;
}

void freeLoad(Load *L) {
  foldersFree(&L->folders);
  Buf *bufs[] = {&L->names, &L->digests, &L->odd, &L->oddBytes, &L->errorPath};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) free(bufs[i]->bytes);
  Rows *r = &L->rows;
  free(r->folder), free(r->nameAt), free(r->nameLength), free(r->digestAt), free(r->mode), free(r->verify), free(r->pkg), free(r->bits), free(r->digestLength);
  free(L->listed), free(L->textOfKey), free(L->folder);
  free(L->setHash), free(L->setUsed), free(L->textAt);
}

