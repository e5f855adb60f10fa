/* The state of one dpkg info load, shared by its parser (dpkg-info.c) and its N-API side (dpkg-info-napi.c). */
#ifndef DPKG_LOAD_H
#define DPKG_LOAD_H
#include "dpkg-parts.h"
#include "dpkg-reader.h"

/* settings[]: what the JavaScript decides (see native-dpkg-load.ts). */
enum { CONTENT, MODE_DIR, MODE_FILE, MODE_LINK, VERIFY_DIR, VERIFY_FILE, VERIFY_LINK, MD5_BITS, ROOT_TEXT, FIRST_TEXT, SETTINGS };

/* The table's rows so far, a column each; user and group are the text `root` in every row. */
typedef struct {
  uint32_t *folder, *nameAt, *nameLength, *digestAt, *mode, *verify, *pkg;
  uint16_t *bits;
  uint8_t *digestLength;
  uint32_t count, capacity;
} Rows;

typedef struct {
  const int32_t *settings, *keys, *oddOffsets, *oddHashes, *divHashes, *textLengths;
  uint32_t divCount;
  /* Where each diversion's from, to and by (3 per diversion), then each package's name, start in `texts`. */
  const uint8_t *texts;
  size_t *textAt;
  Folders folders;
  const Buf *list;
  const Lines *lines;
  Buf names, digests, odd, oddBytes, errorPath;
  Rows rows;
  uint8_t *listed;
  int32_t *textOfKey, nextText;
  /* Each line's folder id (-1: none). */
  int32_t *folder;
  uint32_t lineCapacity, stamp;
  int32_t *setHash;
  uint8_t *setUsed;
  uint32_t setSlots, setMask;
  int reading;
} Load;

/* Adds package `p`, whose files were read into `files`; 0 or an errno (its path in errorPath). */
int addPackage(Load *L, uint32_t p, const InfoFiles *files);
/* Frees what the load holds (not the Load). */
void freeLoad(Load *L);

#endif
