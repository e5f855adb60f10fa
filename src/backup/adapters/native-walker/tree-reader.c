/*
 * The tree reader (tree-reader.h): one thread lists folders depth-first, names in byte order, a
 * folder before what is in it: the order the walk visits them. The walk takes each listing from
 * the queue, as a rule ready and without a system call. Handing each folder to libuv's pool cost a
 * wake-up of another thread per folder, and one back (measured ~70 µs a folder on a VM, a fifth of
 * a rescan), and the pool read only as far ahead as the walk asked.
 *
 * The reader descends where the walk would, but for the walk's exclusions, which it cannot see:
 * the walk tells it (treeSkip). At most HELD_LISTINGS or HELD_BYTES wait, which bounds the memory
 * and what an exclusion can cost. A host path of SHORT_PATH bytes or more is left to the walk,
 * which reaches it through an open folder (long-paths.ts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tree-state.h"

static int byBytes(const void *a, const void *b) {
  const Path *x = a, *y = b;
  int c = memcmp(x->bytes, y->bytes, x->length < y->length ? x->length : y->length);
  return c ? c : (x->length > y->length) - (x->length < y->length);
}

static int isMount(const Tree *t, Path path) {
  return t->mountCount > 0 && bsearch(&path, t->mounts, t->mountCount, sizeof(Path), byBytes) != NULL;
}

/* The subfolders of a listing the walk would descend into (listing.c's layout), as new paths. */
static size_t descents(const Tree *t, const Grow *answer, size_t prefixLength, Path **out) {
  uint32_t count = listingWord(answer->bytes);
  const char *names = answer->bytes + HEADER + (size_t)count * RECORD;
  size_t found = 0;
  *out = NULL;
  for (uint32_t i = 0; i < count; i++) {
    const char *r = answer->bytes + HEADER + (size_t)i * RECORD;
    uint64_t dev;
    memcpy(&dev, r + 16, 8);
    if (listingWord(r + 8) != 0 || !S_ISDIR(listingWord(r + 32)) || listingWord(r + 12) == 0) continue;
    Path child = {(char *)names + listingWord(r) - prefixLength, prefixLength + listingWord(r + 4)};
    if (t->oneFileSystem && (dev != (uint64_t)t->rootDev || isMount(t, child))) continue;
    if (found % 16 == 0) {
      Path *more = realloc(*out, (found + 16) * sizeof(Path));
      if (!more) break; /* what is left is the walk's to list */
      *out = more;
    }
    if (!((*out)[found].bytes = malloc(child.length))) break;
    memcpy((*out)[found].bytes, child.bytes, child.length);
    (*out)[found++].length = child.length;
  }
  return found;
}

/* Reads the folder at `path`, and the subfolders to read next; NULL when it is the walk's to read. */
static Listing *readOne(const Tree *t, Path path, Path **below, size_t *belowCount) {
  *belowCount = 0;
  if (t->host.length + path.length + 2 >= SHORT_PATH) return NULL;
  Listing *l = calloc(1, sizeof *l);
  char full[SHORT_PATH], prefix[SHORT_PATH];
  if (!l) return NULL;
  memcpy(full, t->host.bytes, t->host.length);
  memcpy(full + t->host.length, path.bytes, path.length);
  full[t->host.length + path.length] = 0;
  /* The folder's path and a slash before each name, so each entry's path is whole in the answer. */
  memcpy(prefix, path.bytes, path.length);
  size_t prefixLength = path.length + (path.bytes[path.length - 1] != '/');
  prefix[prefixLength - 1] = '/';
  l->error = listingOf(full, (Prefix){prefix, prefixLength}, t->privileged, &l->answer);
  if (l->error == 0) {
    char *trimmed = realloc(l->answer.bytes, l->answer.used); /* listingOf grows by doubling */
    if (trimmed) l->answer.bytes = trimmed;
    *belowCount = descents(t, &l->answer, prefixLength, below);
  }
  l->path = path;
  return l;
}

void freeListing(Listing *l) {
  free(l->path.bytes);
  free(l->answer.bytes);
  free(l);
}

/* Under the lock: the listing read last goes to the queue, its subfolders on the stack (the first on top). */
static void keep(Tree *t, Listing *l, Path *below, size_t count) {
  l->next = NULL;
  if (t->tail) t->tail->next = l;
  else t->head = l;
  t->tail = l;
  t->heldCount++;
  t->heldBytes += l->answer.used;
  size_t pushed = count;
  if (t->depth + count > t->capacity) {
    size_t capacity = (t->depth + count) * 2;
    Path *more = realloc(t->stack, capacity * sizeof(Path));
    if (!more) pushed = 0; /* not read here: the walk lists them itself */
    else t->stack = more, t->capacity = capacity;
  }
  for (size_t i = pushed; i > 0; i--) t->stack[t->depth++] = below[i - 1];
  for (size_t i = pushed; i < count; i++) free(below[i].bytes);
}

static void *readLoop(void *data) {
  Tree *t = data;
  pthread_mutex_lock(&t->lock);
  for (;;) {
    while (!t->stopping && t->depth > 0 && treeFull(t)) {
      t->readerWaits = 1;
      pthread_cond_wait(&t->room, &t->lock);
      t->readerWaits = 0;
    }
    if (t->stopping || t->depth == 0) break;
    t->current = t->stack[--t->depth];
    t->currentSkipped = 0;
    pthread_mutex_unlock(&t->lock);
    Path *below = NULL;
    size_t count = 0;
    Listing *l = readOne(t, t->current, &below, &count);
    pthread_mutex_lock(&t->lock);
    if (l && !t->currentSkipped) keep(t, l, below, count);
    else {
      for (size_t i = 0; i < count; i++) free(below[i].bytes);
      if (l) freeListing(l);
      else free(t->current.bytes);
    }
    free(below);
    t->current.bytes = NULL;
    if (t->takerWaits) pthread_cond_signal(&t->ready);
  }
  t->done = 1;
  pthread_cond_signal(&t->ready);
  pthread_mutex_unlock(&t->lock);
  return NULL;
}

/* Frees what the tree holds, and the tree (its thread gone or never started). */
static void freeTree(Tree *t) {
  while (t->head) {
    Listing *l = t->head;
    t->head = l->next;
    freeListing(l);
  }
  for (size_t i = 0; i < t->depth; i++) free(t->stack[i].bytes);
  free(t->stack);
  free(t->host.bytes);
  free(t->mounts);
  free(t->mountBytes);
  free(t);
}

/* The mount points, one Path each into `settings->mounts` (which the tree copies). */
static int keepMounts(Tree *t, const TreeSettings *s) {
  char *copy = malloc(s->mountsLength + 1);
  if (!copy) return -1;
  memcpy(copy, s->mounts, s->mountsLength);
  for (size_t at = 0; at < s->mountsLength; at += strlen(copy + at) + 1) t->mountCount++;
  t->mounts = malloc((t->mountCount + 1) * sizeof(Path));
  if (!t->mounts) return free(copy), -1;
  t->mountCount = 0;
  for (size_t at = 0; at < s->mountsLength; at += strlen(copy + at) + 1) t->mounts[t->mountCount++] = (Path){copy + at, strlen(copy + at)};
  qsort(t->mounts, t->mountCount, sizeof(Path), byBytes);
  t->mountBytes = copy;
  return 0;
}

/* The device of the root folder (0 when lstat fails: the reader then lists it as the walk would). */
static dev_t rootDevice(const Tree *t) {
  char full[SHORT_PATH];
  struct stat root;
  Path r = t->stack[0];
  if (t->host.length + r.length >= SHORT_PATH) return 0;
  memcpy(full, t->host.bytes, t->host.length);
  memcpy(full + t->host.length, r.bytes, r.length);
  full[t->host.length + r.length] = 0;
  return lstat(full, &root) == 0 ? root.st_dev : 0;
}

/* The reader's thread, with every signal blocked: they stay with node's threads. */
static int startThread(Tree *t) {
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &before);
  int error = pthread_create(&t->thread, NULL, readLoop, t);
  pthread_sigmask(SIG_SETMASK, &before, NULL);
  return error;
}

Tree *treeStart(const TreeSettings *s) {
  Tree *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->privileged = s->privileged;
  t->oneFileSystem = s->oneFileSystem;
  t->host = (Path){malloc(s->hostLength + 1), s->hostLength};
  t->stack = malloc(64 * sizeof(Path));
  t->capacity = 64;
  if (!t->host.bytes || !t->stack || keepMounts(t, s) != 0 || !(t->stack[0].bytes = malloc(s->rootLength + 1))) {
    freeTree(t);
    errno = ENOMEM;
    return NULL;
  }
  memcpy(t->host.bytes, s->host, s->hostLength);
  memcpy(t->stack[0].bytes, s->root, s->rootLength);
  t->stack[0].length = s->rootLength;
  t->depth = 1;
  t->rootDev = rootDevice(t);
  pthread_mutex_init(&t->lock, NULL);
  pthread_cond_init(&t->ready, NULL);
  pthread_cond_init(&t->room, NULL);
  int error = startThread(t);
  if (error == 0) return t;
  pthread_mutex_destroy(&t->lock);
  pthread_cond_destroy(&t->ready);
  pthread_cond_destroy(&t->room);
  freeTree(t);
  errno = error;
  return NULL;
}

void treeStop(Tree *t) {
  pthread_mutex_lock(&t->lock);
  t->stopping = 1;
  pthread_cond_signal(&t->room);
  pthread_mutex_unlock(&t->lock);
  pthread_join(t->thread, NULL);
  pthread_mutex_destroy(&t->lock);
  pthread_cond_destroy(&t->ready);
  pthread_cond_destroy(&t->room);
  freeTree(t);
}
