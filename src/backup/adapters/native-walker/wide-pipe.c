/*
 * widePipe(bytes): a pipe (both ends close-on-exec) whose capacity the kernel is asked to make
 * `bytes` (F_SETPIPE_SZ), for rpm's answer to the bulk query. node hands a child a socket pair
 * for stdout, where rpm waited whenever the parse fell behind (its first chunks run before V8 has
 * compiled it); through a 1 MB pipe the same load took ~0.1 s less. Answers [read, write] or the
 * errno negated. Part of the walker addon (binding.gyp).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "addon-functions.h"

static napi_value WidePipe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result, end;
  int32_t bytes = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_int32(env, argv[0], &bytes) != napi_ok) {
    napi_throw_type_error(env, NULL, "widePipe wants a size");
    return NULL;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    napi_create_int32(env, -errno, &result);
    return result;
  }
  (void)fcntl(fds[1], F_SETPIPE_SZ, bytes); /* refused (a user's pipe quota): a narrower pipe, no worse than before */
  napi_create_array_with_length(env, 2, &result);
  for (uint32_t i = 0; i < 2; i++) {
    napi_create_int32(env, fds[i], &end);
    napi_set_element(env, result, i, end);
  }
  return result;
}

/* Adds widePipe to the addon's exports. */
void registerWidePipe(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "widePipe", NAPI_AUTO_LENGTH, WidePipe, NULL, &fn);
  napi_set_named_property(env, exports, "widePipe", fn);
}
