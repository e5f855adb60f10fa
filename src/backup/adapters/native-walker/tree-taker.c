/*
 * The walk's side of the tree reader (tree-reader.h): it takes listings in its own order, which
 * is the reader's, so a listing before the one asked for was for a folder the walk went past.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "tree-state.h"

/* The walk's order: byte order with `/` below every byte, so a folder's whole subtree comes
   before its next sibling (`/a/z` before `/a-b`), and a folder before what is in it. */
static int walkOrder(const char *a, size_t aLength, const char *b, size_t bLength) {
  size_t n = aLength < bLength ? aLength : bLength;
  for (size_t i = 0; i < n; i++) {
    unsigned x = a[i] == '/' ? 0 : (unsigned char)a[i], y = b[i] == '/' ? 0 : (unsigned char)b[i];
    if (x != y) return x < y ? -1 : 1;
  }
  return (aLength > bLength) - (aLength < bLength);
}

/* Whether `path` is `top` or below it. */
static int within(Path path, const char *top, size_t topLength) {
  if (path.length < topLength || memcmp(path.bytes, top, topLength) != 0) return 0;
  return path.length == topLength || top[topLength - 1] == '/' || path.bytes[topLength] == '/';
}

/* Under the lock: takes the queue's first listing off. */
static Listing *unqueue(Tree *t) {
  Listing *l = t->head;
  t->head = l->next;
  if (!t->head) t->tail = NULL;
  t->heldCount--;
  t->heldBytes -= l->answer.used;
  return l;
}

/* Under the lock: 1 while the reader may still come to `path` (it is at or before it). */
static int onItsWay(const Tree *t, const char *path, size_t length) {
  const Path *at = t->current.bytes ? &t->current : t->depth > 0 ? &t->stack[t->depth - 1] : NULL;
  return !t->done && at != NULL && walkOrder(at->bytes, at->length, path, length) <= 0;
}

int treeTake(Tree *t, const char *path, size_t length, Grow *answer, int *error) {
  Listing *found = NULL;
  pthread_mutex_lock(&t->lock);
  for (;;) {
    while (t->head && walkOrder(t->head->path.bytes, t->head->path.length, path, length) < 0) freeListing(unqueue(t));
    if (t->head && walkOrder(t->head->path.bytes, t->head->path.length, path, length) == 0) found = unqueue(t);
    if (found || t->head || !onItsWay(t, path, length)) break;
    if (t->readerWaits) pthread_cond_signal(&t->room);
    t->takerWaits = 1;
    pthread_cond_wait(&t->ready, &t->lock);
    t->takerWaits = 0;
  }
  if (t->readerWaits && !treeFull(t)) pthread_cond_signal(&t->room);
  pthread_mutex_unlock(&t->lock);
  if (!found) return 0;
  *answer = found->answer;
  *error = found->error;
  found->answer.bytes = NULL;
  freeListing(found);
  return 1;
}

void treeSkip(Tree *t, const char *path, size_t length) {
  pthread_mutex_lock(&t->lock);
  Listing **at = &t->head;
  t->tail = NULL;
  while (*at) {
    Listing *l = *at;
    if (!within(l->path, path, length)) {
      t->tail = l;
      at = &l->next;
      continue;
    }
    *at = l->next;
    t->heldCount--;
    t->heldBytes -= l->answer.used;
    freeListing(l);
  }
  size_t kept = 0;
  for (size_t i = 0; i < t->depth; i++) {
    if (within(t->stack[i], path, length)) free(t->stack[i].bytes);
    else t->stack[kept++] = t->stack[i];
  }
  t->depth = kept;
  if (t->current.bytes && within(t->current, path, length)) t->currentSkipped = 1;
  if (t->readerWaits) pthread_cond_signal(&t->room);
  pthread_mutex_unlock(&t->lock);
}
