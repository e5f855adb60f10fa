/* The status file's wanted fields found in C, registered by walker.c's module init (see dpkg-status.c). */
#ifndef DPKG_STATUS_H
#define DPKG_STATUS_H
#include <node_api.h>

void registerDpkgStatus(napi_env env, napi_value exports);

#endif
