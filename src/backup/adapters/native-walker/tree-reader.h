/*
 * A tree read ahead of the walk by a thread of its own (tree-reader.c): every folder's listing
 * (listing.c), depth-first in the walk's order, a bounded number waiting to be taken. Called from
 * JavaScript through tree-reader-napi.c. Only the thread that started a tree calls these.
 */
#ifndef TREE_READER_H
#define TREE_READER_H
#include <stddef.h>
#include "listing.h"

typedef struct Tree Tree;

/* What a tree reads: from `root` (a path of the scanned system: `/` or `/a/b`) down, each folder
   opened at `host` + its path. `mounts`: the mount points (scanned-system paths, each after NUL). */
typedef struct {
  const char *host, *root, *mounts;
  size_t hostLength, rootLength, mountsLength;
  int privileged;
  /* Descend only into folders on the root's device that are not mount points, as the walk does. */
  int oneFileSystem;
} TreeSettings;

/* Starts the reader (it reads the root first); NULL, with errno set, when it cannot. */
Tree *treeStart(const TreeSettings *settings);

/* The listing of the folder at `path`: 1 with `answer` (listingOf's; the caller frees its bytes)
   and its `error`, or 0 when the reader did not and will not read it. Waits while the reader is
   on its way there; drops the listings of folders before it, which the walk went past. */
int treeTake(Tree *tree, const char *path, size_t length, Grow *answer, int *error);

/* The walk will not look into `path`: what was read below it goes, and nothing more is. */
void treeSkip(Tree *tree, const char *path, size_t length);

/* Stops the reader, waits for its thread, and frees everything. */
void treeStop(Tree *tree);

#endif
