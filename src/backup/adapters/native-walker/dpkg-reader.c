/*
 * The info files read ahead on a thread of their own while the caller's thread parses: each
 * package's `.list` (the first of its three candidate names that exists) and `.md5sums`, in
 * package order, at most AHEAD packages ahead of the parser. Reading is about half of the load,
 * so on a machine with a core to spare the two halves overlap. Without a thread (pthread_create
 * failed, or WHAT_TO_BACKUP_READ_AHEAD=0) the parser's own thread reads each package when it asks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "dpkg-reader.h"

/* How far ahead the reader may be; how many packages a waiting side waits for (a wake-up per package cost more than the overlap saved). */
enum { AHEAD = 64, BATCH = 16 };

struct Reader {
  pthread_mutex_t lock;
  pthread_cond_t readable, parsed;
  pthread_t thread;
  int threaded, stop, finished, readerWaits, parserWaits;
  InfoFiles slots[AHEAD];
  const char *prefixes;
  uint32_t packages, read, done, want;
  InfoFiles lost;
};

/* Reads `prefix` + `suffix` into `into`; 0 or the errno, the path kept in `files` when it is not ENOENT. */
static int readInfo(InfoFiles *files, const char *prefix, const char *suffix, Buf *into) {
  size_t n = strlen(prefix), m = strlen(suffix);
  char *path = malloc(n + m + 1);
  if (!path) return ENOMEM;
  memcpy(path, prefix, n);
  memcpy(path + n, suffix, m + 1);
  int error = readFile(path, into, &files->reading);
  if (error && error != ENOENT) {
    files->errorPath.used = 0;
    if (put(&files->errorPath, path, n + m)) error = ENOMEM;
  }
  free(path);
  return error;
}

/* One package's files, whose candidate names (three, NUL-terminated) are at `prefixes`. */
static void readPackage(InfoFiles *files, const char *prefixes) {
  int error = ENOENT;
  const char *prefix = prefixes;
  files->listed = 0;
  for (int k = 0; k < 3 && error == ENOENT; k++, prefixes += strlen(prefixes) + 1) {
    prefix = prefixes;
    error = readInfo(files, prefix, ".list", &files->list);
  }
  if (error == 0) {
    files->listed = 1;
    error = readInfo(files, prefix, ".md5sums", &files->sums);
    if (error == ENOENT) files->sums.used = 0, error = 0;
  }
  files->error = error == ENOENT ? 0 : error;
}

static const char *skip(const char *prefixes) {
  for (int k = 0; k < 3; k++) prefixes += strlen(prefixes) + 1;
  return prefixes;
}

static void *readAll(void *arg) {
  Reader *r = arg;
  const char *prefixes = r->prefixes;
  for (uint32_t p = 0; p < r->packages; p++, prefixes = skip(prefixes)) {
    pthread_mutex_lock(&r->lock);
    while (!r->stop && p - r->done >= AHEAD) {
      r->readerWaits = 1;
      pthread_cond_wait(&r->parsed, &r->lock);
      r->readerWaits = 0;
    }
    int stop = r->stop;
    pthread_mutex_unlock(&r->lock);
    if (stop) break;
    InfoFiles *files = &r->slots[p % AHEAD];
    readPackage(files, prefixes);
    pthread_mutex_lock(&r->lock);
    r->read = p + 1;
    if (r->parserWaits && r->read >= r->want) pthread_cond_signal(&r->readable);
    pthread_mutex_unlock(&r->lock);
    /* The parser stops at this package: nothing after it is wanted. */
    if (files->error) break;
  }
  pthread_mutex_lock(&r->lock);
  r->finished = 1;
  pthread_cond_signal(&r->readable);
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

Reader *readerStart(const char *prefixes, uint32_t packages) {
  Reader *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->prefixes = prefixes;
  r->packages = packages;
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->readable, NULL);
  pthread_cond_init(&r->parsed, NULL);
  /* WHAT_TO_BACKUP_READ_AHEAD=0 reads on the parsing thread: for tests of that path, and measurements. */
  const char *ahead = getenv("WHAT_TO_BACKUP_READ_AHEAD");
  r->threaded = !(ahead && strcmp(ahead, "0") == 0) && pthread_create(&r->thread, NULL, readAll, r) == 0;
  return r;
}

const InfoFiles *readerNext(Reader *r, uint32_t p) {
  InfoFiles *files = &r->slots[p % AHEAD];
  if (!r->threaded) {
    const char *prefixes = r->prefixes;
    while (r->read < p) prefixes = skip(prefixes), r->read++;
    r->prefixes = skip(prefixes), r->read++;
    readPackage(files, prefixes);
    return files;
  }
  pthread_mutex_lock(&r->lock);
  if (r->read <= p) {
    r->want = p + BATCH < r->packages ? p + BATCH : r->packages;
    r->parserWaits = 1;
    while (r->read < r->want && !r->finished) pthread_cond_wait(&r->readable, &r->lock);
    r->parserWaits = 0;
  }
  int lost = r->read <= p;
  pthread_mutex_unlock(&r->lock);
  if (lost) r->lost.error = EIO; /* The reader stopped before `p` without saying why: never expected. */
  return lost ? &r->lost : files;
}

void readerDone(Reader *r, uint32_t p) {
  if (!r->threaded) return;
  pthread_mutex_lock(&r->lock);
  r->done = p + 1;
  if (r->readerWaits && r->done + AHEAD >= r->read + BATCH) pthread_cond_signal(&r->parsed);
  pthread_mutex_unlock(&r->lock);
}

void readerStop(Reader *r) {
  if (!r) return;
  if (r->threaded) {
    pthread_mutex_lock(&r->lock);
    r->stop = 1;
    pthread_cond_signal(&r->parsed);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
  }
  for (int i = 0; i < AHEAD; i++) free(r->slots[i].list.bytes), free(r->slots[i].sums.bytes), free(r->slots[i].errorPath.bytes);
  pthread_mutex_destroy(&r->lock);
  pthread_cond_destroy(&r->readable);
  pthread_cond_destroy(&r->parsed);
  free(r);
}
