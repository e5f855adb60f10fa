/*
 * loadDpkgInfo: the dpkg info files read (dpkg-reader.c) and parsed (dpkg-info.c) in one call,
 * and the answer handed to JavaScript as Buffers. Its caller,
 * src/backup/adapters/dpkg/native-dpkg-load.ts, documents the arguments and layouts.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dpkg-load.h"
#include "dpkg-info.h"

enum { HEADER = 12 };

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

/* The columns: nine u32 (folder, nameAt, nameLength, digestAt, mode, verify, pkg, user, group), the u16 bits, the u8 digest lengths. */
static napi_value columnsBuffer(napi_env env, const Load *L) {
  const Rows *r = &L->rows;
  size_t n = r->count;
  void *data;
  napi_value buffer;
  if (napi_create_buffer(env, 9 * 4 * n + 2 * n + n + 1, &data, &buffer) != napi_ok) return NULL;
  uint8_t *at = data;
  const uint32_t *columns[] = {r->folder, r->nameAt, r->nameLength, r->digestAt, r->mode, r->verify, r->pkg};
  for (int c = 0; c < 7; c++, at += 4 * n)
    if (n) memcpy(at, columns[c], 4 * n);
  uint32_t root = (uint32_t)L->settings[ROOT_TEXT];
  for (int c = 0; c < 2; c++, at += 4 * n)
    for (size_t i = 0; i < n; i++) memcpy(at + 4 * i, &root, 4);
  if (n) memcpy(at, r->bits, 2 * n), memcpy(at + 2 * n, r->digestLength, n);
  return buffer;
}

/* A copy of `b` with `slack` bytes of room after it (uninitialised). */
static napi_value copy(napi_env env, const Buf *b, size_t slack) {
  void *data;
  napi_value buffer;
  if (napi_create_buffer(env, b->used + slack, &data, &buffer) != napi_ok) return NULL;
  if (b->used) memcpy(data, b->bytes, b->used);
  return buffer;
}

/*
 * The rest: u32 error (errno, 0), its path's length, rows, names and digests lengths, folders,
 * folder bytes, odd rows, odd bytes, the next text id, packages, 1 when read() failed (not open()); then each folder's length (u32)
 * and hash (i32), five u32 per odd row (row, package, path at, path length, bit 0 directory, bit 1
 * digest: 32 hex bytes after the path), a u8 per package (1: listed), padded; then the folder
 * bytes, odd bytes and the error's path.
 */
static napi_value extrasBuffer(napi_env env, const Load *L, int error, uint32_t packages) {
  Buf b = {0};
  const Folders *f = &L->folders;
  uint32_t header[HEADER] = {(uint32_t)error, (uint32_t)L->errorPath.used, L->rows.count, (uint32_t)L->names.used,
    (uint32_t)L->digests.used, f->count, (uint32_t)f->bytes.used, (uint32_t)(L->odd.used / 20), (uint32_t)L->oddBytes.used,
    (uint32_t)L->nextText, packages, (uint32_t)L->reading};
  static const uint8_t zeros[4] = {0};
  int failed = put(&b, header, sizeof header) || put(&b, f->length, 4 * (size_t)f->count) || put(&b, f->hash, 4 * (size_t)f->count) ||
    put(&b, L->odd.bytes, L->odd.used) || put(&b, L->listed, packages) || put(&b, zeros, pad4(packages) - packages) ||
    put(&b, f->bytes.bytes, f->bytes.used) || put(&b, L->oddBytes.bytes, L->oddBytes.used) || put(&b, L->errorPath.bytes, L->errorPath.used);
  napi_value buffer = NULL;
  if (!failed && napi_create_buffer_copy(env, b.used, b.bytes, NULL, &buffer) != napi_ok) buffer = NULL;
  free(b.bytes);
  return buffer;
}

static int int32s(napi_env env, napi_value value, const int32_t **data, size_t *length) {
  napi_typedarray_type type;
  void *at;
  if (napi_get_typedarray_info(env, value, &type, length, &at, NULL, NULL) != napi_ok || type != napi_int32_array) return -1;
  *data = at;
  return 0;
}

/* The arguments, into `L`; 0, or -1 after throwing. */
static int arguments(napi_env env, napi_callback_info info, Load *L, char **paths, size_t *n) {
  size_t argc = 8, pathsLength, offsets, hashes, settings, textsLength, lengths, nuls = 0, textsUsed = 0;
  napi_value argv[8];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 8 ||
      napi_get_buffer_info(env, argv[0], (void **)paths, &pathsLength) != napi_ok || int32s(env, argv[1], &L->keys, n) ||
      int32s(env, argv[2], &L->oddOffsets, &offsets) || int32s(env, argv[3], &L->oddHashes, &hashes) ||
      int32s(env, argv[4], &L->divHashes, &settings) || (L->divCount = (uint32_t)settings, int32s(env, argv[5], &L->settings, &settings)) ||
      napi_get_buffer_info(env, argv[6], (void **)&L->texts, &textsLength) != napi_ok || int32s(env, argv[7], &L->textLengths, &lengths) ||
      offsets != *n + 1 || settings != SETTINGS || lengths != 3 * L->divCount + *n || pathsLength == 0 || (*paths)[pathsLength - 1] != 0) {
    napi_throw_type_error(env, NULL, "loadDpkgInfo: wrong arguments");
    return -1;
  }
  for (size_t i = 0; i < pathsLength; i++) nuls += (*paths)[i] == 0;
  if (nuls != 3 * *n) {
    napi_throw_type_error(env, NULL, "loadDpkgInfo: three names per package");
    return -1;
  }
  if (!(L->textAt = malloc((lengths + 1) * sizeof(size_t)))) {
    napi_throw_error(env, "ENOMEM", "loadDpkgInfo: out of memory");
    return -1;
  }
  for (size_t i = 0; i < lengths; i++) L->textAt[i] = textsUsed, textsUsed += L->textLengths[i] > 0 ? (size_t)L->textLengths[i] : 0;
  if (textsUsed != textsLength) {
    napi_throw_type_error(env, NULL, "loadDpkgInfo: texts and their lengths disagree");
    return -1;
  }
  return 0;
}

/* Every package, its files read ahead; 0 or the errno that stopped the load. */
static int loadAll(Load *L, const char *paths, size_t n) {
  L->nextText = L->settings[FIRST_TEXT];
  L->listed = calloc(n + 1, 1);
  L->textOfKey = malloc((n + 1) * sizeof(int32_t));
  if (!L->listed || !L->textOfKey || foldersInit(&L->folders)) return ENOMEM;
  memset(L->textOfKey, 0xff, (n + 1) * sizeof(int32_t));
  Reader *reader = readerStart(paths, (uint32_t)n);
  if (!reader) return ENOMEM;
  int error = 0;
  for (uint32_t p = 0; p < n && !error; p++) {
    error = addPackage(L, p, readerNext(reader, p));
    readerDone(reader, p);
  }
  readerStop(reader);
  return error;
}

/* Room for the names of the rows the JavaScript fills: each at most its path or the longest diverted-to path. */
static size_t nameRoom(const Load *L) {
  size_t names = 0, longest = 0;
  for (uint32_t d = 0; d < L->divCount; d++) longest = (size_t)L->textLengths[3 * d + 1] > longest ? (size_t)L->textLengths[3 * d + 1] : longest;
  for (size_t r = 0; r < L->odd.used / 20; r++) {
    uint32_t length;
    memcpy(&length, L->odd.bytes + 20 * r + 12, 4);
    names += length > longest ? length : longest;
  }
  return names;
}

/*
 * loadDpkgInfo(prefixes, keys, oddOffsets, oddHashes, divertedHashes, settings, texts, textLengths):
 * [extras, columns, names, digests], only extras when it says an error stopped the load. See
 * native-dpkg-load.ts.
 */
static napi_value LoadDpkgInfo(napi_env env, napi_callback_info info) {
  Load L;
  char *paths;
  size_t n;
  memset(&L, 0, sizeof L);
  if (arguments(env, info, &L, &paths, &n)) {
    freeLoad(&L);
    return NULL;
  }
  hexTable();
  int error = loadAll(&L, paths, n);
  napi_value result, parts[4] = {extrasBuffer(env, &L, error, (uint32_t)n), NULL, NULL, NULL};
  uint32_t count = error ? 1 : 4;
  /* The names' and digests' buffers with room for the rows the JavaScript fills (an md5 each). */
  if (!error) parts[1] = columnsBuffer(env, &L), parts[2] = copy(env, &L.names, nameRoom(&L)), parts[3] = copy(env, &L.digests, 16 * (L.odd.used / 20));
  freeLoad(&L);
  for (uint32_t i = 0; i < count; i++)
    if (!parts[i]) {
      napi_throw_error(env, "ENOMEM", "loadDpkgInfo: out of memory");
      return NULL;
    }
  napi_create_array_with_length(env, count, &result);
  for (uint32_t i = 0; i < count; i++) napi_set_element(env, result, i, parts[i]);
  return result;
}

void registerDpkgInfo(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "loadDpkgInfo", NAPI_AUTO_LENGTH, LoadDpkgInfo, NULL, &fn);
  napi_set_named_property(env, exports, "loadDpkgInfo", fn);
}
