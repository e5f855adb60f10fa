/*
 * The walker addon's functions defined outside walker.c, each registered on the addon's exports by
 * its file's register function (walker.c's NAPI_MODULE_INIT calls them all).
 */
#ifndef ADDON_FUNCTIONS_H
#define ADDON_FUNCTIONS_H
#include <node_api.h>
#include "listing.h"

/* securityModules() and bpfProgramTypes(), in access-facts.c. */
void registerAccessFacts(napi_env env, napi_value exports);
/* batchScheduling(), in batch-scheduling.c. */
void registerBatchScheduling(napi_env env, napi_value exports);
/* widePipe(), in wide-pipe.c. */
void registerWidePipe(napi_env env, napi_value exports);
/* linkTargets(), in link-targets.c. */
void registerLinkTargets(napi_env env, napi_value exports);
/* sha256Later() and sha256Now(), in sha256-later.c. */
void registerSha256Later(napi_env env, napi_value exports);
/* rpmSpans(), in rpm-spans.c. */
void registerRpmSpans(napi_env env, napi_value exports);
/* mapFile(), in map-file.c. */
void registerMapFile(napi_env env, napi_value exports);
/* A listing's answer (listingOf) as a JS value: a Buffer, or the errno; frees the records (walker.c). */
napi_value listingAnswer(napi_env env, int error, Grow *records);
/* readTree(), treeTake(), treeSkip() and treeClose(), in tree-reader.c. */
void registerTreeReader(napi_env env, napi_value exports);

#endif
