/*
 * One directory read in one call (listing.c): every entry's name, lstat fields and readability as
 * fixed-width records, the layout walker.c documents. Used by listDirectory (walker.c) and by the
 * tree reader's thread (tree-reader.c).
 */
#ifndef LISTING_H
#define LISTING_H
#include <stddef.h>
#include <stdint.h>

/* PREFIXED, in the record size word: the names come after the caller's prefix. */
enum { HEADER = 8, RECORD = 104 };
#define PREFIXED 0x80000000u

/* A growing area of bytes (malloc'd; free `bytes`). */
typedef struct {
  char *bytes;
  size_t used, size;
} Grow;

/* What goes before each name in the names area: `length` bytes at `bytes` (none when NULL). */
typedef struct {
  const char *bytes;
  size_t length;
} Prefix;

/* The whole answer for the directory at `path` (header, records in byte order of name, names) in
   `records`; or an errno, and then `records` holds nothing to read (free its bytes all the same). */
int listingOf(const char *path, Prefix prefix, int privileged, Grow *records);

/* Reads a u32 of an answer. */
static inline uint32_t listingWord(const char *at) {
  uint32_t v;
  __builtin_memcpy(&v, at, 4);
  return v;
}

#endif
