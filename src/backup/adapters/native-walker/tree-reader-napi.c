/*
 * The tree reader (tree-reader.h) as the addon's functions, for native-walker.ts:
 * readTree(host, root, privileged, oneFileSystem, mounts): a handle, or the errno;
 * treeTake(handle, path): the folder's listing as listDirectory answers, or undefined when the
 * reader did not read it; treeSkip(handle, path); treeClose(handle). Paths are Buffers of bytes,
 * without NUL; `mounts` holds each mount point followed by a NUL. A handle collected unclosed is
 * closed then.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <stdlib.h>
#include "addon-functions.h"
#include "tree-reader.h"

typedef struct {
  Tree *tree; /* NULL once closed */
} Handle;

/* Marks the addon's tree handles, so another external passed in is refused, not misread. */
static const napi_type_tag HANDLE = {0x7ee4eade2c1a4d5bULL, 0x9b3f0c81a2d64e17ULL};

static void closeHandle(Handle *h) {
  if (h->tree) treeStop(h->tree);
  h->tree = NULL;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  closeHandle(data);
  free(data);
}

static int bytesOf(napi_env env, napi_value value, const char **bytes, size_t *length) {
  bool isBuffer = false;
  void *data;
  if (napi_is_buffer(env, value, &isBuffer) != napi_ok || !isBuffer) return 0;
  if (napi_get_buffer_info(env, value, &data, length) != napi_ok) return 0;
  *bytes = data;
  return 1;
}

static int flagOf(napi_env env, napi_value value) {
  bool flag = false;
  return napi_get_value_bool(env, value, &flag) == napi_ok && flag;
}

/* The handle an argument is, or NULL (not one of ours). */
static Handle *handleOf(napi_env env, napi_value value) {
  napi_valuetype type;
  bool ours = false;
  void *data;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external) return NULL;
  if (napi_check_object_type_tag(env, value, &HANDLE, &ours) != napi_ok || !ours) return NULL;
  return napi_get_value_external(env, value, &data) == napi_ok ? data : NULL;
}

static napi_value ReadTree(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], result;
  TreeSettings s = {0};
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 || !bytesOf(env, argv[0], &s.host, &s.hostLength) ||
      !bytesOf(env, argv[1], &s.root, &s.rootLength) || s.rootLength == 0 || s.root[0] != '/' || !bytesOf(env, argv[4], &s.mounts, &s.mountsLength)) {
    napi_throw_type_error(env, NULL, "readTree wants host, root (starting with /), privileged, oneFileSystem, mounts");
    return NULL;
  }
  s.privileged = flagOf(env, argv[2]);
  s.oneFileSystem = flagOf(env, argv[3]);
  Handle *h = calloc(1, sizeof *h);
  if (h && (h->tree = treeStart(&s)) != NULL && napi_create_external(env, h, finalize, NULL, &result) == napi_ok) {
    napi_type_tag_object(env, result, &HANDLE);
    return result;
  }
  int error = h && !h->tree ? errno : ENOMEM;
  if (h) closeHandle(h);
  free(h);
  napi_create_int32(env, error, &result);
  return result;
}

/* The handle and path arguments; NULL tree when either is missing or the tree is closed. */
static Tree *treeAndPath(napi_env env, napi_callback_info info, const char **path, size_t *length) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) return NULL;
  Handle *h = handleOf(env, argv[0]);
  return h && bytesOf(env, argv[1], path, length) && *length > 0 ? h->tree : NULL;
}

static napi_value TreeTake(napi_env env, napi_callback_info info) {
  const char *path;
  size_t length;
  Grow answer = {0};
  int error = 0;
  napi_value result;
  Tree *tree = treeAndPath(env, info, &path, &length);
  if (tree && treeTake(tree, path, length, &answer, &error)) return listingAnswer(env, error, &answer);
  napi_get_undefined(env, &result);
  return result;
}

static napi_value TreeSkip(napi_env env, napi_callback_info info) {
  const char *path;
  size_t length;
  Tree *tree = treeAndPath(env, info, &path, &length);
  if (tree) treeSkip(tree, path, length);
  return NULL;
}

static napi_value TreeClose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Handle *h = napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 1 ? handleOf(env, argv[0]) : NULL;
  if (h) closeHandle(h);
  return NULL;
}

/* Adds readTree, treeTake, treeSkip and treeClose to the addon's exports. */
void registerTreeReader(napi_env env, napi_value exports) {
  const char *names[] = {"readTree", "treeTake", "treeSkip", "treeClose"};
  napi_callback calls[] = {ReadTree, TreeTake, TreeSkip, TreeClose};
  for (int i = 0; i < 4; i++) {
    napi_value fn;
    napi_create_function(env, names[i], NAPI_AUTO_LENGTH, calls[i], NULL, &fn);
    napi_set_named_property(env, exports, names[i], fn);
  }
}
