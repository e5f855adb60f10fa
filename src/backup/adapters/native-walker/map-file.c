/*
 * mapFile(path): the regular file at `path` (NUL-terminated bytes) as a Buffer over a private
 * mapping of it, unmapped when the Buffer is collected; or the errno negated. For the caches read
 * whole at every rescan (the rpm snapshot, the digest cache): read() into fresh memory faults in
 * every page of it, and on a virtual machine that hands freed memory back to its host each such
 * fault cost 13-26 us (measured: 42-51 ms for the 100k fixture's 6.7 MB snapshot); a mapping takes
 * the page cache's pages as they are (4 ms). Private and writable, so a stray write copies a page
 * and never reaches the file. The caches are replaced by rename, never rewritten in place, so the
 * mapped file stays whole for as long as it is mapped. Part of the walker addon (binding.gyp).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "addon-functions.h"

static void Unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value Errno(napi_env env, int error) {
  napi_value result;
  napi_create_int32(env, -error, &result);
  return result;
}

static napi_value MapFile(napi_env env, napi_callback_info info) {
  size_t argc = 1, length = 0;
  napi_value argv[1], result;
  char *path = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_buffer_info(env, argv[0], (void **)&path, &length) != napi_ok || length == 0 || path[length - 1] != 0) {
    napi_throw_type_error(env, NULL, "mapFile wants a NUL-terminated path");
    return NULL;
  }
  /* O_NONBLOCK: a FIFO put where a cache was must not hold the scan until someone writes to it. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Errno(env, errno);
  struct stat st;
  int error = 0;
  if (fstat(fd, &st) != 0) error = errno;
  else if (!S_ISREG(st.st_mode) || st.st_size <= 0) error = EINVAL; /* not a file, or empty: the caller reads it as before */
  if (error != 0) {
    close(fd);
    return Errno(env, error);
  }
  size_t size = (size_t)st.st_size;
  void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  error = errno;
  close(fd); /* the mapping holds the file */
  if (data == MAP_FAILED) return Errno(env, error);
  if (napi_create_external_buffer(env, size, data, Unmap, (void *)(uintptr_t)size, &result) != napi_ok) {
    munmap(data, size);
    return Errno(env, ENOMEM);
  }
  return result;
}

/* Adds mapFile to the addon's exports. */
void registerMapFile(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "mapFile", NAPI_AUTO_LENGTH, MapFile, NULL, &fn);
  napi_set_named_property(env, exports, "mapFile", fn);
}
