/*
 * keepFreedMemory(): tells glibc's malloc to keep the memory this process frees instead of
 * giving it back to the kernel (M_TRIM_THRESHOLD), for a run of seconds whose threads allocate and
 * free the same few megabytes again and again (V8's compiler and collector, libuv's pool). On the
 * virtual machine measured, a page given back and touched again cost a fault of 13-26 us: a
 * `--quick` rescan of the 100k-file fixture took 10,700 faults and 1.11 s of CPU, 6,600 and
 * 0.99 s so. Answers the threshold set, or 0 where malloc is not glibc's. Part of the walker
 * addon (binding.gyp).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include "addon-functions.h"
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Freed memory kept up to this much at the top of each heap: more than a scan holds. */
#define KEPT (256 << 20)

static napi_value KeepFreedMemory(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  int kept = 0;
#ifdef __GLIBC__
  if (mallopt(M_TRIM_THRESHOLD, KEPT) == 1) kept = KEPT;
#endif
  napi_create_int32(env, kept, &result);
  return result;
}

/* Adds keepFreedMemory to the addon's exports. */
void registerKeepFreedMemory(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "keepFreedMemory", NAPI_AUTO_LENGTH, KeepFreedMemory, NULL, &fn);
  napi_set_named_property(env, exports, "keepFreedMemory", fn);
}
