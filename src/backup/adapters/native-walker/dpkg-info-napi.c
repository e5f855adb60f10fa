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

enum { HEADER = 12, PARTS = 12 };

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

static void freeData(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  free(data);
}

/*
 * The `n` bytes at `*data` (malloc'd, at least `n`) as a Buffer: handed over without a copy (then
 * `*data` is NULL, freed by the Buffer's finalizer), or copied where external buffers are not allowed.
 */
static napi_value handOver(napi_env env, void *data, size_t n, void **owner) {
  napi_value buffer;
  void *at;
  if (n == 0) return napi_create_buffer(env, 0, &at, &buffer) == napi_ok ? buffer : NULL;
  void *exact = realloc(data, n);
  if (exact) data = *owner = exact;
  if (napi_create_external_buffer(env, n, data, freeData, NULL, &buffer) == napi_ok) {
    *owner = NULL;
    return buffer;
  }
  return napi_create_buffer_copy(env, n, data, NULL, &buffer) == napi_ok ? buffer : NULL;
}

/* The columns (u32 folder, nameAt, nameLength, digestAt, mode, verify, pkg; u16 bits; u8 digest lengths) into parts[0..9). */
static void columnBuffers(napi_env env, Load *L, napi_value *parts) {
  Rows *r = &L->rows;
  size_t n = r->count;
  uint32_t **columns[] = {&r->folder, &r->nameAt, &r->nameLength, &r->digestAt, &r->mode, &r->verify, &r->pkg};
  for (int c = 0; c < 7; c++) parts[c] = handOver(env, *columns[c], 4 * n, (void **)columns[c]);
  parts[7] = handOver(env, r->bits, 2 * n, (void **)&r->bits);
  parts[8] = handOver(env, r->digestLength, n, (void **)&r->digestLength);
}

/* The bytes of `b` and `slack` bytes of room after them (uninitialised). */
static napi_value bytesWithRoom(napi_env env, Buf *b, size_t slack) {
  if (room(b, slack)) return NULL;
  napi_value buffer = handOver(env, b->bytes, b->used + slack, (void **)&b->bytes);
  if (!b->bytes) b->used = b->size = 0;
  return buffer;
}

/*
 * The rest: u32 error (errno, 0), its path's length, rows, names and digests lengths, folders,
 * folder bytes, odd rows, odd bytes, the next text id, packages, 1 when read() failed (not open()); then each folder's length (u32)
 * and hash (i32), five u32 per odd row (row, package, path at, path length, bit 0 directory, bit 1
 * digest: its 32 hex digits, lower case, after the path), a u8 per package (1: listed), padded; then the folder
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
 * [extras, the nine columns, names, digests], only extras when it says an error stopped the load.
 * See native-dpkg-load.ts.
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
  int error = loadAll(&L, paths, n);
  napi_value result, parts[PARTS] = {extrasBuffer(env, &L, error, (uint32_t)n)};
  uint32_t count = error ? 1 : PARTS;
  /* The names' and digests' buffers with room for the rows the JavaScript fills (an md5 each). */
  if (!error) {
    columnBuffers(env, &L, parts + 1);
    parts[10] = bytesWithRoom(env, &L.names, nameRoom(&L)), parts[11] = bytesWithRoom(env, &L.digests, 16 * (L.odd.used / 20));
  }
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
