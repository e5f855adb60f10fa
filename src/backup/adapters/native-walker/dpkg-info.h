/* The dpkg info loader's entry point, registered by walker.c's module init (see dpkg-info.c). */
#ifndef DPKG_INFO_H
#define DPKG_INFO_H
#include <node_api.h>

void registerDpkgInfo(napi_env env, napi_value exports);

#endif
