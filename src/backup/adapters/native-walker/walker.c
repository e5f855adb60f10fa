/*
 * The walker addon's entry: listDirectory, one directory read in one call (listing.c reads it and
 * documents the answer's layout), parsed by src/backup/adapters/native-walker/native-walker.ts;
 * NAPI_MODULE_INIT registers every other function (addon-functions.h).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdlib.h>
#include "addon-functions.h"
#include "listing.h"
#include "dpkg-info.h"
#include "dpkg-status.h"

/* The answer as a JS value: a Buffer (a copy: V8 then counts the memory and collects spent
   listings soon), or the errno as a number. Frees the records. */
napi_value listingAnswer(napi_env env, int error, Grow *records) {
  napi_value result = NULL;
  if (error) napi_create_int32(env, error, &result);
  else if (napi_create_buffer_copy(env, records->used, records->bytes, NULL, &result) != napi_ok) result = NULL;
  free(records->bytes);
  records->bytes = NULL;
  return result;
}

/* The path argument: a NUL-terminated Buffer, or NULL after throwing; the privileged flag; and the
   prefix of every name (a Buffer, optional: none when absent or not a Buffer). */
static const char *pathArgument(napi_env env, napi_callback_info info, int *privileged, Prefix *prefix) {
  size_t argc = 3, length;
  napi_value argv[3];
  void *data;
  bool flag = false, isBuffer = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  if (argc > 1 && napi_get_value_bool(env, argv[1], &flag) != napi_ok) flag = false;
  *privileged = flag;
  prefix->bytes = NULL;
  prefix->length = 0;
  if (argc > 2 && napi_is_buffer(env, argv[2], &isBuffer) == napi_ok && isBuffer) {
    if (napi_get_buffer_info(env, argv[2], &data, &length) == napi_ok && length > 0) {
      prefix->bytes = data;
      prefix->length = length;
    }
  }
  if (napi_get_buffer_info(env, argv[0], &data, &length) != napi_ok || length == 0 || ((char *)data)[length - 1] != 0) {
    napi_throw_type_error(env, NULL, "listDirectory wants a NUL-terminated Buffer");
    return NULL;
  }
  return (const char *)data;
}

/* listDirectory(path: Buffer, NUL-terminated, privileged?: boolean, prefix?: Buffer): a Buffer of records, or the errno. */
static napi_value ListDirectory(napi_env env, napi_callback_info info) {
  int privileged;
  Prefix prefix;
  const char *path = pathArgument(env, info, &privileged, &prefix);
  if (!path) return NULL;
  Grow records = {0};
  int error = listingOf(path, prefix, privileged, &records);
  return listingAnswer(env, error, &records);
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "listDirectory", NAPI_AUTO_LENGTH, ListDirectory, NULL, &fn);
  napi_set_named_property(env, exports, "listDirectory", fn);
  registerAccessFacts(env, exports);
  registerBatchScheduling(env, exports);
  registerWidePipe(env, exports);
  registerLinkTargets(env, exports);
  registerSha256Later(env, exports);
  registerRpmSpans(env, exports);
  registerMapFile(env, exports);
  registerDpkgInfo(env, exports);
  registerDpkgStatus(env, exports);
  registerTreeReader(env, exports);
  return exports;
}
