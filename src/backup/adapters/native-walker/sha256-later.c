/*
 * sha256Later(first, second): the SHA-256 of two byte arrays one after the other, computed on
 * libuv's thread pool with the OpenSSL inside node, for the checks of the rpm snapshot and the
 * digest cache file (sha256-of.ts), so that the main thread goes on meanwhile (measured: ~4 ms for
 * the 100k-file fixture's 6.7 MB snapshot). The arrays are held by reference, not copied: the caller must not change them
 * until the promise settles. Answers Promise<Buffer> of 32 bytes. Part of the walker addon (binding.gyp).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include "addon-functions.h"

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref refs[2];
  const unsigned char *data[2];
  size_t length[2];
  unsigned char digest[EVP_MAX_MD_SIZE];
  int ok;
} Job;

static void Execute(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  unsigned len = 0;
  job->ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, job->data[0], job->length[0]) &&
            EVP_DigestUpdate(ctx, job->data[1], job->length[1]) && EVP_DigestFinal_ex(ctx, job->digest, &len) && len == 32;
  EVP_MD_CTX_free(ctx);
}

static void Complete(napi_env env, napi_status status, void *data) {
  Job *job = data;
  napi_value result, message;
  if (status == napi_ok && job->ok && napi_create_buffer_copy(env, 32, job->digest, NULL, &result) == napi_ok) {
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_create_string_utf8(env, "sha256Later failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &result);
    napi_reject_deferred(env, job->deferred, result);
  }
  for (int i = 0; i < 2; i++) napi_delete_reference(env, job->refs[i]);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value Sha256Later(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], promise, name;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  Job *job = calloc(1, sizeof(Job));
  int ok = job && napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 2;
  for (int i = 0; ok && i < 2; i++) {
    ok = napi_get_typedarray_info(env, argv[i], &type, &job->length[i], (void **)&job->data[i], &buffer, &offset) == napi_ok && type == napi_uint8_array;
  }
  if (!ok) {
    free(job);
    napi_throw_type_error(env, NULL, "sha256Later wants two Uint8Arrays");
    return NULL;
  }
  for (int i = 0; i < 2; i++) napi_create_reference(env, argv[i], 1, &job->refs[i]);
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "sha256Later", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, Execute, Complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

/* sha256Now(data: Uint8Array): its SHA-256 as a Buffer, here, for small inputs (names, a log's bytes): no node:crypto to load. */
static napi_value Sha256Now(napi_env env, napi_callback_info info) {
  size_t argc = 1, length = 0, offset;
  napi_value argv[1], buffer, result;
  napi_typedarray_type type;
  const unsigned char *data = NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_typedarray_info(env, argv[0], &type, &length, (void **)&data, &buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "sha256Now wants a Uint8Array");
    return NULL;
  }
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, data, length) && EVP_DigestFinal_ex(ctx, digest, &len) && len == 32;
  EVP_MD_CTX_free(ctx);
  if (!ok || napi_create_buffer_copy(env, 32, digest, NULL, &result) != napi_ok) {
    napi_throw_error(env, NULL, "sha256Now failed");
    return NULL;
  }
  return result;
}

/* Adds sha256Later to the addon's exports. */
void registerSha256Later(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "sha256Now", NAPI_AUTO_LENGTH, Sha256Now, NULL, &fn);
  napi_set_named_property(env, exports, "sha256Now", fn);
  napi_create_function(env, "sha256Later", NAPI_AUTO_LENGTH, Sha256Later, NULL, &fn);
  napi_set_named_property(env, exports, "sha256Later", fn);
}
