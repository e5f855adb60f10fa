/*
 * rpmSpans(bytes, from, out): finds the complete records of a chunk of rpm's bulk query output
 * in one call, each as scanRecord (src/backup/domain/rpm/rpm-fields.ts) finds it: fields split
 * at a tab, a record ending at a newline, shell single quotes and `\'` honoured. That loop was
 * ~43% of the parse in JavaScript, and ran in V8's slower tiers for the first chunks. Writes
 * out[0]: where the unfinished rest begins (~ of it when the bytes end inside quotes), out[1]: 1
 * when `out` filled first, then per record its field count and, for each field kept (up to 16),
 * start, end and kind (RecordScanner in rpm-fields.ts). Answers how many records it wrote.
 * Part of the walker addon (binding.gyp).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include "addon-functions.h"

#define TAB 9
#define NEWLINE 10
#define QUOTE 39
#define BACKSLASH 92
#define PLAIN 0
#define QUOTED 1
#define ESCAPED 2
#define MAX_FIELDS 16
#define UNFINISHED -1
#define IN_QUOTES -2
#define FIRST_SPANS 2
#define RECORD_INTS (1 + 3 * MAX_FIELDS)

/* Bytes that end a run of ordinary ones. */
static uint8_t special[256];

/* Reads the record at `from` into `rec` (its count, then triples); returns where the next starts, UNFINISHED or IN_QUOTES. */
static int64_t scanRecord(const uint8_t *b, int64_t end, int64_t from, int32_t *rec) {
  int64_t field = from, i = from;
  int32_t count = 0, kind = PLAIN;
  while (i < end) {
    uint8_t c = b[i];
    if (!special[c]) {
      if (kind == QUOTED) kind = ESCAPED;
      do i++;
      while (i < end && !special[b[i]]);
    } else if (c == QUOTE) {
      const uint8_t *close = memchr(b + i + 1, QUOTE, (size_t)(end - i - 1));
      if (!close) return IN_QUOTES;
      kind = i == field && kind == PLAIN ? QUOTED : ESCAPED;
      i = close - b + 1;
    } else if (c == BACKSLASH) {
      kind = ESCAPED;
      i += i + 1 < end && b[i + 1] == QUOTE ? 2 : 1; /* at the end: unfinished, the next chunk says whether `\'` */
    } else {
      if (count < MAX_FIELDS) {
        int32_t *span = rec + 1 + 3 * count;
        int quoted = kind == QUOTED;
        span[0] = (int32_t)(quoted ? field + 1 : field);
        span[1] = (int32_t)(quoted ? i - 1 : i);
        span[2] = kind;
      }
      count++;
      field = ++i;
      kind = PLAIN;
      if (c == NEWLINE) {
        rec[0] = count;
        return i;
      }
    }
  }
  return UNFINISHED;
}

static napi_value RpmSpans(napi_env env, napi_callback_info info) {
  size_t argc = 3, length = 0, ints = 0;
  napi_value argv[3], result;
  uint8_t *bytes = NULL;
  void *data = NULL;
  napi_typedarray_type type;
  int64_t from = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_buffer_info(env, argv[0], (void **)&bytes, &length) != napi_ok ||
      napi_get_value_int64(env, argv[1], &from) != napi_ok || napi_get_typedarray_info(env, argv[2], &type, &ints, &data, NULL, NULL) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "rpmSpans wants a Buffer, an offset and an Int32Array");
    return NULL;
  }
  if (from < 0 || (uint64_t)from > length || length > INT32_MAX || ints < FIRST_SPANS + RECORD_INTS) {
    napi_throw_range_error(env, NULL, "rpmSpans: an offset outside the bytes, bytes past 2 GB or an answer too small for one record");
    return NULL;
  }
  int32_t *out = data;
  int32_t found = 0;
  size_t used = FIRST_SPANS;
  int64_t at = from, next = 0;
  out[1] = 0;
  for (;;) {
    if (used + RECORD_INTS > ints) {
      out[1] = 1;
      break;
    }
    next = scanRecord(bytes, (int64_t)length, at, out + used);
    if (next < 0) break;
    used += 1 + 3 * (size_t)(out[used] < MAX_FIELDS ? out[used] : MAX_FIELDS);
    found++;
    at = next;
  }
  out[0] = (int32_t)(next == IN_QUOTES ? ~at : at);
  napi_create_int32(env, found, &result);
  return result;
}

/* Adds rpmSpans to the addon's exports. */
void registerRpmSpans(napi_env env, napi_value exports) {
  napi_value fn;
  for (int c = 0; c < 256; c++) special[c] = c == TAB || c == NEWLINE || c == QUOTE || c == BACKSLASH;
  napi_create_function(env, "rpmSpans", NAPI_AUTO_LENGTH, RpmSpans, NULL, &fn);
  napi_set_named_property(env, exports, "rpmSpans", fn);
}
