/*
 * The tree reader's state (tree-reader.h), shared by its thread's side (tree-reader.c) and the
 * walk's (tree-taker.c): a queue of listings read, a stack of folders to read, under one lock.
 */
#ifndef TREE_STATE_H
#define TREE_STATE_H
#include <pthread.h>
#include <sys/types.h>
#include "tree-reader.h"

/* At most HELD_LISTINGS or HELD_BYTES of listings wait; a host path of SHORT_PATH bytes or more is the walk's to list. */
enum { HELD_LISTINGS = 512, HELD_BYTES = 4 << 20, SHORT_PATH = 3072 };

typedef struct {
  char *bytes;
  size_t length;
} Path;

typedef struct Listing {
  struct Listing *next;
  Path path;
  int error;
  Grow answer;
} Listing;

struct Tree {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t ready, room;
  Listing *head, *tail;
  size_t heldCount, heldBytes;
  /* Folders still to read, the next on top; and the one being read (bytes NULL when none). */
  Path *stack, current;
  size_t depth, capacity;
  int currentSkipped, stopping, done, takerWaits, readerWaits;
  Path host;
  Path *mounts; /* sorted by memcmp then length, into mountBytes */
  char *mountBytes;
  size_t mountCount;
  int privileged, oneFileSystem;
  dev_t rootDev;
};

/* Frees a listing, its path and its answer. */
void freeListing(Listing *l);

/* Under the lock: whether the queue holds as much as it may. */
static inline int treeFull(const Tree *t) {
  return t->heldCount >= HELD_LISTINGS || t->heldBytes >= HELD_BYTES;
}

#endif
