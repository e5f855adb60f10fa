/*
 * A batch of files hashed in one call on libuv's thread pool, as digest-file.ts does it in a worker
 * thread: open without following a link and without blocking (a FIFO never waits), read up to the
 * size the scanner saw, hash with the OpenSSL inside node (its headers ship with node, the node
 * binary exports libcrypto), then one fstat: the open file must be the regular file the scanner's
 * lstat saw, unchanged (dev, ino, size, mtime, ctime). Nothing is ever written to the files;
 * O_NOATIME where the kernel allows it. Parsed by src/backup/adapters/digest-workers/native-digester.ts.
 *
 * digestBatchLater(paths, ends, seen, hasSeen, algo, algoNames[, expected, expectedLength]) ->
 * Promise<Buffer>: the arguments are those of digest-batch.ts's DigestBatch. The answer,
 * little-endian, one record per file: f64 size hashed, i32 status (0: digest; 1: changed while
 * reading; 2: the digest is the one expected; <0: -errno), u32 hex length, then 128 bytes of
 * lower-case hex. A file with an expected digest (`expectedLength` > 0, its bytes at 64 per file in
 * `expected`) is compared here, so a match costs the caller no digest text.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/evp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { RECORD = 16 + 128, CHUNK = 1 << 20, MAX_ALGOS = 8, CHANGED = 1, MATCHES = 2, EXPECTED = 64 };

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  size_t count;
  char *paths;
  uint32_t *ends;
  int64_t *seen;
  uint8_t *hasSeen, *algo;
  /* Per file, the digest expected (EXPECTED bytes each) and its length, 0 when none: NULL when none at all. */
  uint8_t *expected, *expectedLength;
  const EVP_MD *mds[MAX_ALGOS];
  char *out;
} Job;

/*
 * Each algorithm fetched once, on the JavaScript thread, and kept: a digest by name
 * (EVP_get_digestbyname) makes OpenSSL 3 look its implementation up, under a lock, on every use.
 */
static const EVP_MD *fetched(const char *name) {
  static char names[MAX_ALGOS][16];
  static EVP_MD *mds[MAX_ALGOS];
  /* Locked: worker threads of JavaScript may load the addon too. */
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  EVP_MD *md = NULL;
  pthread_mutex_lock(&lock);
  for (int a = 0; a < MAX_ALGOS && !md; a++) {
    if (mds[a] && strcmp(names[a], name) == 0) md = mds[a];
    else if (!mds[a]) {
      if (strlen(name) < sizeof names[a] && (mds[a] = EVP_MD_fetch(NULL, name, NULL))) strcpy(names[a], name);
      md = mds[a];
      break;
    }
  }
  pthread_mutex_unlock(&lock);
  return md;
}

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

/* Reads `expected` bytes into the digest; CHANGED when the file ends first, -errno on an error. */
static int readAll(int fd, const EVP_MD *md, char *buf, int64_t expected, unsigned char *digest, unsigned *len) {
  int64_t size = 0;
  if (expected <= CHUNK) {
    while (size < expected) {
      ssize_t n = read(fd, buf + size, (size_t)(expected - size));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -errno;
      if (n == 0) return CHANGED; /* it shrank */
      size += n;
    }
    /* No such algorithm here: EIO, as node's hash() throwing gives in digest-file.ts. */
    return md && EVP_Digest(buf, (size_t)size, digest, len, md, NULL) ? 0 : -EIO;
  }
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL)) {
    EVP_MD_CTX_free(ctx);
    return -EIO;
  }
  int status = 0;
  while (status == 0 && size < expected) {
    int64_t want = expected - size < CHUNK ? expected - size : CHUNK;
    ssize_t n = read(fd, buf, (size_t)want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) status = -errno;
    else if (n == 0) status = CHANGED;
    else if (!EVP_DigestUpdate(ctx, buf, (size_t)n)) status = -EIO;
    else size += n;
  }
  if (status == 0 && !EVP_DigestFinal_ex(ctx, digest, len)) status = -EIO;
  EVP_MD_CTX_free(ctx);
  return status;
}

static int openQuietly(int dir, const char *path) {
  int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  int fd = openat(dir, path, flags | O_NOATIME);
  /* O_NOATIME is refused (EPERM) on a file this process does not own, unless privileged. */
  if (fd < 0 && errno == EPERM) fd = openat(dir, path, flags);
  return fd < 0 ? -errno : fd;
}

/*
 * The folder of the files a batch opens, kept open (O_PATH) while they share it: a file is opened
 * by its name in it, and the kernel walks the folder's path once, not once per file (measured: the
 * lookups of every component were a fifth of a pool thread's time on the 100k-file fixture). The
 * file is the one the scanner saw either way: that is what the fstat after reading checks.
 */
typedef struct {
  int fd;
  size_t length;
  char path[PATH_MAX];
} Folder;

/* Opens `path` (NUL-ended, `length` bytes) by its name in its folder, else by the whole path. */
static int openInFolder(Folder *folder, const char *path, size_t length) {
  const char *slash = memrchr(path, '/', length);
  size_t dir = slash ? (size_t)(slash - path) : 0;
  if (!slash || dir == 0 || slash[1] == 0) return openQuietly(AT_FDCWD, path);
  if (folder->fd < 0 || folder->length != dir || memcmp(folder->path, path, dir) != 0) {
    if (folder->fd >= 0) close(folder->fd);
    memcpy(folder->path, path, dir);
    folder->path[dir] = 0;
    folder->length = dir;
    folder->fd = open(folder->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  return folder->fd < 0 ? openQuietly(AT_FDCWD, path) : openQuietly(folder->fd, slash + 1);
}

/* One file: its status, and its digest into `digest` when the status is 0. */
static int digestOne(Job *job, Folder *folder, size_t i, char *buf, unsigned char *digest, unsigned *len, int64_t *hashed) {
  uint32_t start = i == 0 ? 0 : job->ends[i - 1], length = job->ends[i] - start;
  char path[PATH_MAX];
  if (length >= PATH_MAX) return -ENAMETOOLONG;
  memcpy(path, job->paths + start, length);
  path[length] = 0;
  int fd = openInFolder(folder, path, length);
  if (fd < 0) return fd;
  const int64_t *seen = job->seen + i * 5;
  struct stat before, after;
  int status;
  if (job->hasSeen[i]) {
    status = readAll(fd, job->mds[job->algo[i]], buf, seen[2], digest, len);
    if (fstat(fd, &after) != 0) status = -errno;
    /* What was read (or failed to be) counts only if this is the file lstat saw, unchanged since. */
    else if ((int64_t)after.st_dev != seen[0] || (int64_t)after.st_ino != seen[1] || (int64_t)after.st_size != seen[2] ||
             ns(after.st_mtim) != seen[3] || ns(after.st_ctim) != seen[4] || !S_ISREG(after.st_mode))
      status = CHANGED;
    *hashed = seen[2];
  } else if (fstat(fd, &before) != 0) {
    status = -errno;
  } else if (!S_ISREG(before.st_mode)) {
    status = -EINVAL;
  } else {
    status = readAll(fd, job->mds[job->algo[i]], buf, before.st_size, digest, len);
    if (status == 0 && fstat(fd, &after) != 0) status = -errno;
    else if (status == 0 && (after.st_size != before.st_size || ns(after.st_mtim) != ns(before.st_mtim) ||
                             ns(after.st_ctim) != ns(before.st_ctim) || after.st_ino != before.st_ino))
      status = CHANGED;
    *hashed = before.st_size;
  }
  close(fd);
  return status;
}

static void Execute(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  /* One buffer per pool thread, kept: 1 MiB malloc'd and freed per batch is an mmap and munmap each time. */
  static __thread char *buf;
  if (!buf) buf = malloc(CHUNK);
  static const char hex[] = "0123456789abcdef";
  static __thread Folder folder;
  folder.fd = -1;
  for (size_t i = 0; i < job->count; i++) {
    char *r = job->out + i * RECORD;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    int64_t hashed = 0;
    int status = buf ? digestOne(job, &folder, i, buf, digest, &len, &hashed) : -ENOMEM;
    uint8_t want = job->expectedLength ? job->expectedLength[i] : 0;
    if (status == 0 && want && want == len && memcmp(digest, job->expected + i * EXPECTED, len) == 0) status = MATCHES;
    double size = status == 0 || status == MATCHES ? (double)hashed : -1;
    uint32_t hexLength = status == 0 ? len * 2 : 0; /* a match needs no text */
    memcpy(r, &size, 8);
    memcpy(r + 8, &status, 4);
    memcpy(r + 12, &hexLength, 4);
    for (unsigned b = 0; b < len && status == 0; b++) {
      r[16 + 2 * b] = hex[digest[b] >> 4];
      r[17 + 2 * b] = hex[digest[b] & 15];
    }
  }
  if (folder.fd >= 0) close(folder.fd);
}

static void freeJob(Job *job) {
  free(job->paths);
  free(job->ends);
  free(job->seen);
  free(job->hasSeen);
  free(job->algo);
  free(job->expected);
  free(job->expectedLength);
  free(job->out);
  free(job);
}

static void Complete(napi_env env, napi_status status, void *data) {
  Job *job = data;
  napi_value result;
  if (status == napi_ok && napi_create_buffer_copy(env, job->count * RECORD, job->out, NULL, &result) == napi_ok) {
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message;
    napi_create_string_utf8(env, "digest batch failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &result);
    napi_reject_deferred(env, job->deferred, result);
  }
  napi_delete_async_work(env, job->work);
  freeJob(job);
}

/* A copy of typed array `v`'s bytes, and how many elements it holds. */
static void *copyOf(napi_env env, napi_value v, size_t *count) {
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return NULL;
  size_t width = type == napi_bigint64_array ? 8 : type == napi_uint32_array ? 4 : 1;
  void *copy = malloc(length * width + 1);
  if (copy && length) memcpy(copy, data, length * width);
  if (count) *count = length;
  return copy;
}

static napi_value DigestBatchLater(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8], promise, name;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6) return NULL;
  Job *job = calloc(1, sizeof(Job));
  if (!job) return NULL;
  uint32_t algos = 0;
  napi_get_array_length(env, argv[5], &algos);
  for (uint32_t a = 0; a < algos && a < MAX_ALGOS; a++) {
    char text[32];
    size_t n = 0;
    napi_get_element(env, argv[5], a, &name);
    if (napi_get_value_string_utf8(env, name, text, sizeof text, &n) == napi_ok) job->mds[a] = fetched(text);
  }
  job->paths = copyOf(env, argv[0], NULL);
  job->ends = copyOf(env, argv[1], &job->count);
  job->seen = copyOf(env, argv[2], NULL);
  job->hasSeen = copyOf(env, argv[3], NULL);
  job->algo = copyOf(env, argv[4], NULL);
  size_t expectedBytes = 0, expectedFiles = 0;
  napi_valuetype kind = napi_undefined;
  if (argc >= 8) napi_typeof(env, argv[7], &kind);
  int expecting = kind != napi_undefined;
  if (expecting) {
    job->expected = copyOf(env, argv[6], &expectedBytes);
    job->expectedLength = copyOf(env, argv[7], &expectedFiles);
  }
  job->out = calloc(job->count ? job->count : 1, RECORD);
  int ok = job->paths && job->ends && job->seen && job->hasSeen && job->algo && job->out && algos <= MAX_ALGOS &&
           (!expecting || (job->expected && job->expectedLength && expectedFiles == job->count && expectedBytes == job->count * EXPECTED));
  for (size_t i = 0; ok && expecting && i < job->count; i++) ok = job->expectedLength[i] <= EXPECTED;
  for (size_t i = 0; ok && i < job->count; i++) ok = job->algo[i] < algos;
  if (!ok) {
    freeJob(job);
    napi_throw_error(env, NULL, "digestBatchLater: bad batch");
    return NULL;
  }
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "digestBatch", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, Execute, Complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "digestBatchLater", NAPI_AUTO_LENGTH, DigestBatchLater, NULL, &fn);
  napi_set_named_property(env, exports, "digestBatchLater", fn);
  return exports;
}
