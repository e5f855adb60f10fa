/*
 * A directory read in one call: every entry's name, lstat fields and whether access() would let
 * the caller read it, as fixed-width binary records in one Buffer. The names and stats come from
 * the open directory's fd (fstatat, faccessat), so the kernel looks up one name per entry instead
 * of the whole path, as find does. Parsed by src/backup/adapters/native-walker/native-walker.ts.
 *
 * The records come in byte order of their names.
 *
 * Layout, in the host's byte order: u32 count, u32 record size (104; its top bit set when a prefix was given), then `count` records, then
 * the names, each after the `prefix` the caller gave (the folder's path and a slash, so each entry's
 * whole path is there in one piece: the walk then decodes it as one string instead of joining two).
 * A record: u32 name offset (from the first name byte, past its prefix), u32 name length, i32 errno of fstatat
 * (0: ok; the rest is then zero), u32 readable (access R_OK, R_OK|X_OK for a directory: 0 or 1;
 * 1 for a symlink; 2 when the answer is known without asking, see `known`), u64 dev, u64 ino, u32 mode, u32 uid, u32 gid, u32 unused, u64 nlink, u64 rdev,
 * i64 size, i64 mtime s, i64 mtime ns, i64 ctime s, i64 ctime ns.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "addon-functions.h"
#include "dpkg-info.h"
#include "dpkg-status.h"

/* PREFIXED, in the record size word: the names come after the caller's prefix. */
enum { HEADER = 8, RECORD = 104 };
#define PREFIXED 0x80000000u

typedef struct {
  char *bytes;
  size_t used, size;
} Grow;

static int reserve(Grow *g, size_t more) {
  if (g->used + more <= g->size) return 0;
  size_t size = g->size ? g->size * 2 : 64 * 1024;
  while (size < g->used + more) size *= 2;
  char *next = realloc(g->bytes, size);
  if (!next) return -1;
  g->bytes = next;
  g->size = size;
  return 0;
}

static void put32(char *at, uint32_t v) { memcpy(at, &v, 4); }
static void put64(char *at, uint64_t v) { memcpy(at, &v, 8); }

/*
 * The device of the folder open at `dfd` when access(2) there answers from the mode bits and the
 * capabilities alone, as generic_permission() does: file systems without a ->permission of their
 * own (ext2/3/4, xfs, btrfs, tmpfs, f2fs). Not nfs, cifs, fuse, overlay, proc: they ask elsewhere.
 * -1 when unsure. Only the caller knows whether this process is privileged (access-known.ts).
 */
static dev_t dacOnlyDevice(int dfd) {
  struct statfs f;
  struct stat s;
  if (fstatfs(dfd, &f) != 0 || fstat(dfd, &s) != 0) return (dev_t)-1;
  switch ((uint32_t)f.f_type) {
    case 0xEF53: case 0x58465342: case 0x9123683E: case 0x01021994: case 0xF2F52010: return s.st_dev;
    default: return (dev_t)-1;
  }
}

/* `known`: the device whose files a privileged caller reads whatever their mode, or -1. A mount
   point inside the folder is another device, asked as before; so are devices, FIFOs, sockets. */
static void record(char *r, int dfd, const char *name, uint32_t nameAt, uint32_t nameLength, dev_t known) {
  struct stat s;
  memset(r, 0, RECORD);
  put32(r, nameAt);
  put32(r + 4, nameLength);
  if (fstatat(dfd, name, &s, AT_SYMLINK_NOFOLLOW) != 0) {
    put32(r + 8, (uint32_t)errno);
    return;
  }
  /* As access(2) would answer for the caller (real ids); a symlink is never followed, nor read here. */
  int want = S_ISDIR(s.st_mode) ? R_OK | X_OK : R_OK;
  uint32_t readable;
  if (S_ISLNK(s.st_mode)) readable = 1;
  else if (known != (dev_t)-1 && s.st_dev == known && (S_ISREG(s.st_mode) || S_ISDIR(s.st_mode))) readable = 2;
  else readable = faccessat(dfd, name, want, 0) == 0;
  put32(r + 12, readable);
  put64(r + 16, (uint64_t)s.st_dev);
  put64(r + 24, (uint64_t)s.st_ino);
  put32(r + 32, (uint32_t)s.st_mode);
  put32(r + 36, (uint32_t)s.st_uid);
  put32(r + 40, (uint32_t)s.st_gid);
  put64(r + 48, (uint64_t)s.st_nlink);
  put64(r + 56, (uint64_t)s.st_rdev);
  put64(r + 64, (uint64_t)s.st_size);
  put64(r + 72, (uint64_t)s.st_mtim.tv_sec);
  put64(r + 80, (uint64_t)s.st_mtim.tv_nsec);
  put64(r + 88, (uint64_t)s.st_ctim.tv_sec);
  put64(r + 96, (uint64_t)s.st_ctim.tv_nsec);
}

/* What goes before each name in the names area: `length` bytes at `bytes` (none when NULL). */
typedef struct {
  const char *bytes;
  size_t length;
} Prefix;

/* Records first (count known only at the end), names after: two growing areas, joined at the end. */
static int list(const char *path, Prefix prefix, int privileged, Grow *records, Grow *names, uint32_t *count) {
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) return errno;
  dev_t known = privileged ? dacOnlyDevice(dfd) : (dev_t)-1;
  DIR *dir = fdopendir(dfd);
  if (!dir) {
    int e = errno;
    close(dfd);
    return e;
  }
  struct dirent *d;
  errno = 0;
  while ((d = readdir(dir)) != NULL) {
    if (d->d_name[0] == '.' && (d->d_name[1] == 0 || (d->d_name[1] == '.' && d->d_name[2] == 0))) continue;
    size_t length = strlen(d->d_name);
    if (reserve(records, RECORD) || reserve(names, prefix.length + length)) {
      closedir(dir);
      return ENOMEM;
    }
    if (prefix.length) memcpy(names->bytes + names->used, prefix.bytes, prefix.length);
    names->used += prefix.length;
    memcpy(names->bytes + names->used, d->d_name, length);
    record(records->bytes + records->used, dfd, d->d_name, (uint32_t)names->used, (uint32_t)length, known);
    names->used += length;
    records->used += RECORD;
    (*count)++;
    errno = 0;
  }
  int e = errno;
  closedir(dir);
  return e;
}

/* Byte order of two records' names (memcmp, then the shorter first), as the walk sorts them. */
static int byName(const void *a, const void *b, void *names) {
  uint32_t aAt, aLength, bAt, bLength;
  memcpy(&aAt, a, 4);
  memcpy(&aLength, (const char *)a + 4, 4);
  memcpy(&bAt, b, 4);
  memcpy(&bLength, (const char *)b + 4, 4);
  int c = memcmp((const char *)names + aAt, (const char *)names + bAt, aLength < bLength ? aLength : bLength);
  return c ? c : (aLength > bLength) - (aLength < bLength);
}

/* The whole answer, header and names joined after the records, in `records`; or an errno. */
static int gather(const char *path, Prefix prefix, int privileged, Grow *records) {
  Grow names = {0};
  uint32_t count = 0;
  int error = list(path, prefix, privileged, records, &names, &count);
  /* Sorted here, on the thread pool: the walk's own sort (it wants byte order) then only checks. */
  if (error == 0 && count > 1) qsort_r(records->bytes, count, RECORD, byName, names.bytes);
  if (error == 0 && reserve(records, HEADER + names.used)) error = ENOMEM;
  if (error == 0) {
    memmove(records->bytes + HEADER, records->bytes, records->used);
    put32(records->bytes, count);
    put32(records->bytes + 4, RECORD | (prefix.length ? PREFIXED : 0));
    if (names.used) memcpy(records->bytes + HEADER + records->used, names.bytes, names.used);
    records->used += HEADER + names.used;
  }
  free(names.bytes);
  return error;
}

/* The answer as a JS value: a Buffer (a copy: V8 then counts the memory and collects spent
   listings soon), or the errno as a number. Frees the records. */
static napi_value answer(napi_env env, int error, Grow *records) {
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
  int error = gather(path, prefix, privileged, &records);
  return answer(env, error, &records);
}

/* One listing on libuv's thread pool, so the walk's JavaScript runs while the kernel lists. */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  char *path;
  char *prefix; /* a copy: the caller's Buffer may go before the job runs */
  size_t prefixLength;
  int privileged;
  Grow records;
  int error;
} Job;

static void RunJob(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  Prefix prefix = {job->prefix, job->prefixLength};
  job->error = gather(job->path, prefix, job->privileged, &job->records);
}

static void EndJob(napi_env env, napi_status status, void *data) {
  Job *job = data;
  napi_value result = answer(env, status == napi_ok ? job->error : ECANCELED, &job->records);
  if (result == NULL) napi_create_int32(env, ENOMEM, &result);
  napi_resolve_deferred(env, job->deferred, result);
  napi_delete_async_work(env, job->work);
  free(job->path);
  free(job->prefix);
  free(job);
}

/* listDirectoryLater(path, privileged?, prefix?): a Promise of what listDirectory gives; it never rejects. */
static napi_value ListDirectoryLater(napi_env env, napi_callback_info info) {
  int privileged;
  Prefix prefix;
  const char *path = pathArgument(env, info, &privileged, &prefix);
  if (!path) return NULL;
  Job *job = calloc(1, sizeof *job);
  napi_value promise, name;
  if (job && prefix.length && (job->prefix = malloc(prefix.length))) {
    memcpy(job->prefix, prefix.bytes, prefix.length);
    job->prefixLength = prefix.length;
  }
  if (!job || !(job->path = strdup(path)) || (prefix.length && !job->prefix)) {
    if (job) {
      free(job->path);
      free(job->prefix);
    }
    free(job);
    napi_throw_error(env, "ENOMEM", "listDirectoryLater: out of memory");
    return NULL;
  }
  job->privileged = privileged;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "listDirectoryLater", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, RunJob, EndJob, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "listDirectory", NAPI_AUTO_LENGTH, ListDirectory, NULL, &fn);
  napi_set_named_property(env, exports, "listDirectory", fn);
  napi_create_function(env, "listDirectoryLater", NAPI_AUTO_LENGTH, ListDirectoryLater, NULL, &fn);
  napi_set_named_property(env, exports, "listDirectoryLater", fn);
  registerAccessFacts(env, exports);
  registerBatchScheduling(env, exports);
  registerWidePipe(env, exports);
  registerLinkTargets(env, exports);
  registerSha256Later(env, exports);
  registerRpmSpans(env, exports);
  registerMapFile(env, exports);
  registerDpkgInfo(env, exports);
  registerDpkgStatus(env, exports);
  return exports;
}
