/* The info files read ahead on a thread of their own (see dpkg-reader.c). */
#ifndef DPKG_READER_H
#define DPKG_READER_H
#include "dpkg-lines.h"

/* One package's list and its lines (each path's digest found in its md5sums), or the error that stopped the reading. */
typedef struct {
  FileBytes list;
  Lines lines;
  /* 1 when a list was found; the errno (not ENOENT) of the file that could not be read, with its path and whether read() failed. */
  int listed, error, reading;
  Buf errorPath;
} InfoFiles;

typedef struct Reader Reader;

/* Starts reading `packages` packages, three NUL-terminated candidate names each at `prefixes`; NULL when out of memory. */
Reader *readerStart(const char *prefixes, uint32_t packages);
/* Package `p`'s files (asked for in order), once read; valid until readerDone(p). */
const InfoFiles *readerNext(Reader *r, uint32_t p);
/* Package `p` is parsed: its slot may take another package. */
void readerDone(Reader *r, uint32_t p);
/* Stops the reading and frees the reader. */
void readerStop(Reader *r);

#endif
