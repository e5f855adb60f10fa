/*
 * The info files read ahead on a thread of their own while the caller's thread parses: each
 * package's `.list` (the first of its three candidate names that exists) and `.md5sums`, at most
 * AHEAD packages ahead of the parser, and the work on each that needs no other package
 * (dpkg-lines.c). The packages are taken in order by whichever thread is free: the reading
 * thread, or the parser when the package it wants next is not ready (rather than wait, it takes
 * the next one nobody has taken), so the two share the work whichever half is the larger, and
 * the parser alone does it all when there is no thread (pthread_create failed, or
 * WHAT_TO_BACKUP_READ_AHEAD=0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dpkg-reader.h"

/*
 * How far ahead of the parser packages may be taken; how far below that a waiting reader is woken
 * (not at every package). Each package in the window holds its list's bytes: the fewer, the fewer
 * fresh pages are written (a page fault costs 5 us on this machine's virtual machine).
 */
enum { AHEAD = 16, BATCH = 4 };

/* What each thread that takes packages keeps for itself: its .md5sums bytes and index, done with once the package's lines are. */
typedef struct {
  Md5 md5;
  FileBytes sums;
} Worker;

struct Reader {
  pthread_mutex_t lock;
  pthread_cond_t readable, parsed;
  pthread_t thread;
  int threaded, stop, readerWaits;
  InfoFiles slots[AHEAD];
  /* ready[p % AHEAD] is p + 1 once package p is read. */
  uint32_t ready[AHEAD];
  /* Each package's three candidate names. */
  const char **names;
  /* Packages taken so far; the first one that could not be read (none taken after it); packages parsed; the one the parser waits for (+1; 0: none). */
  uint32_t packages, taken, failed, done, waitsFor;
  /* The reading thread's, the parser's. */
  Worker workers[2];
  /* The info folder, opened once (-1: not), each name in it opened from there: the path's other folders are not looked up again. */
  int dir;
  size_t dirLength;
  const char *prefixes;
};

/* Reads `prefix` + `suffix` into `into`; 0 or the errno, the path kept in `files` when it is not ENOENT. */
static int readInfo(const Reader *r, InfoFiles *files, const char *prefix, const char *suffix, FileBytes *into) {
  size_t n = strlen(prefix), m = strlen(suffix);
  char *path = malloc(n + m + 1);
  if (!path) return ENOMEM;
  memcpy(path, prefix, n);
  memcpy(path + n, suffix, m + 1);
  int inDir = r->dir >= 0 && n > r->dirLength && memcmp(path, r->prefixes, r->dirLength + 1) == 0;
  int error = inDir ? readFile(r->dir, path + r->dirLength + 1, into, &files->reading) : readFile(AT_FDCWD, path, into, &files->reading);
  if (error && error != ENOENT) {
    files->errorPath.used = 0;
    if (put(&files->errorPath, path, n + m)) error = ENOMEM;
  }
  free(path);
  return error;
}

/* One package's files, whose candidate names (three, NUL-terminated) are at `prefixes`, and its lines. */
static void readPackage(Reader *r, InfoFiles *files, const char *prefixes, Worker *w) {
  int error = ENOENT;
  const char *prefix = prefixes;
  files->listed = 0;
  for (int k = 0; k < 3 && error == ENOENT; k++, prefixes += strlen(prefixes) + 1) {
    prefix = prefixes;
    error = readInfo(r, files, prefix, ".list", &files->list);
  }
  if (error == 0) {
    files->listed = 1;
    error = readInfo(r, files, prefix, ".md5sums", &w->sums);
    if (error == ENOENT) error = 0; /* no digests: sums.view is empty */
  }
  files->error = error == ENOENT ? 0 : error;
  files->lines.count = 0;
  if (files->listed && !files->error && prepareLines(&files->lines, &files->list.view, &w->sums.view, &w->md5)) files->error = ENOMEM, files->errorPath.used = 0;
}

/* The folder of the first name (its text up to the last slash), where the others are read from when they are in it. */
static void openDir(Reader *r) {
  const char *slash = r->packages ? strrchr(r->prefixes, '/') : NULL;
  r->dir = -1;
  if (!slash || slash == r->prefixes) return;
  r->dirLength = (size_t)(slash - r->prefixes);
  char *dir = strndup(r->prefixes, r->dirLength);
  if (dir) r->dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(dir);
}


/* Takes the next package if the window allows; its number, or -1 (the lock held). */
static int64_t take(Reader *r) {
  if (r->stop || r->taken >= r->packages || r->taken >= r->failed || r->taken - r->done >= AHEAD) return -1;
  return r->taken++;
}

/* Reads package `p` (taken, the lock held and held again after). */
static void readTaken(Reader *r, uint32_t p, Worker *w) {
  pthread_mutex_unlock(&r->lock);
  InfoFiles *files = &r->slots[p % AHEAD];
  readPackage(r, files, r->names[p], w);
  pthread_mutex_lock(&r->lock);
  r->ready[p % AHEAD] = p + 1;
  /* The parser stops at this package: nothing after it is wanted. */
  if (files->error && p < r->failed) r->failed = p;
  if (r->waitsFor == p + 1) pthread_cond_signal(&r->readable);
}

static void *readAll(void *arg) {
  Reader *r = arg;
  pthread_mutex_lock(&r->lock);
  while (!r->stop && r->taken < r->packages && r->taken < r->failed) {
    int64_t p = take(r);
    if (p >= 0) {
      readTaken(r, (uint32_t)p, &r->workers[0]);
      continue;
    }
    r->readerWaits = 1;
    pthread_cond_wait(&r->parsed, &r->lock);
    r->readerWaits = 0;
  }
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

Reader *readerStart(const char *prefixes, uint32_t packages) {
  Reader *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->prefixes = prefixes;
  r->packages = packages;
  r->failed = UINT32_MAX;
  if (!(r->names = malloc((packages + 1) * sizeof *r->names))) return free(r), NULL;
  for (uint32_t p = 0; p < packages; p++) {
    r->names[p] = prefixes;
    for (int k = 0; k < 3; k++) prefixes += strlen(prefixes) + 1;
  }
  openDir(r);
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->readable, NULL);
  pthread_cond_init(&r->parsed, NULL);
  /* WHAT_TO_BACKUP_READ_AHEAD=0 reads on the parsing thread: for tests of that path, and measurements. */
  const char *ahead = getenv("WHAT_TO_BACKUP_READ_AHEAD");
  r->threaded = !(ahead && strcmp(ahead, "0") == 0) && pthread_create(&r->thread, NULL, readAll, r) == 0;
  return r;
}

/* Package `p`, once read: taking the next packages itself while it is not. */
const InfoFiles *readerNext(Reader *r, uint32_t p) {
  pthread_mutex_lock(&r->lock);
  while (r->ready[p % AHEAD] != p + 1) {
    int64_t q = take(r);
    if (q >= 0) {
      readTaken(r, (uint32_t)q, &r->workers[1]);
      continue;
    }
    /* Every package up to `p` was taken (`p` by the reading thread, still at it). */
    r->waitsFor = p + 1;
    pthread_cond_wait(&r->readable, &r->lock);
    r->waitsFor = 0;
  }
  pthread_mutex_unlock(&r->lock);
  return &r->slots[p % AHEAD];
}

void readerDone(Reader *r, uint32_t p) {
  pthread_mutex_lock(&r->lock);
  r->done = p + 1;
  if (r->readerWaits && r->taken - r->done + BATCH <= AHEAD) pthread_cond_signal(&r->parsed);
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
  for (int i = 0; i < AHEAD; i++) fileBytesFree(&r->slots[i].list), free(r->slots[i].errorPath.bytes), linesFree(&r->slots[i].lines);
  for (int i = 0; i < 2; i++) md5Free(&r->workers[i].md5), fileBytesFree(&r->workers[i].sums);
  if (r->dir >= 0) close(r->dir);
  pthread_mutex_destroy(&r->lock);
  pthread_cond_destroy(&r->readable);
  pthread_cond_destroy(&r->parsed);
  free(r->names);
  free(r);
}
