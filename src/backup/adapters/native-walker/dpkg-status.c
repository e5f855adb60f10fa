/*
 * The fields of dpkg's `status` file that the loader reads (Package, Status, Architecture,
 * Multi-Arch, Conffiles), found in its bytes: the C twin of parseStanzas() in
 * src/backup/domain/dpkg/control-stanzas.ts with those five names as `only`. Most of the file is
 * descriptions, which the JavaScript walked a line at a time before V8 had compiled the loop.
 * Its caller, src/backup/adapters/dpkg/native-dpkg-status.ts, builds the stanzas from the answer.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include "dpkg-parts.h"
#include "dpkg-status.h"

enum { FIELDS = 5, CONFFILES = 4 };
static const char *NAMES[FIELDS] = {"package", "status", "architecture", "multi-arch", "conffiles"};

/* The wanted field named `b[0..n)` (ASCII case folded, as toLowerCase() folds a byte string), or -1. */
static int fieldOf(const uint8_t *b, size_t n) {
  for (int f = 0; f < FIELDS; f++) {
    if (strlen(NAMES[f]) != n) continue;
    size_t i = 0;
    for (; i < n; i++) {
      uint8_t c = b[i] >= 'A' && b[i] <= 'Z' ? (uint8_t)(b[i] + 32) : b[i];
      if (c != (uint8_t)NAMES[f][i]) break;
    }
    if (i == n) return f;
  }
  return -1;
}

/* What String.prototype.trim() takes off a byte string: tab, newline, VT, FF, CR, space, NBSP. */
static int space(uint8_t c) { return (c >= 9 && c <= 13) || c == 32 || c == 0xa0; }

typedef struct {
  Buf out, values;
  int32_t at[FIELDS][2];
  Buf more; /* the last Conffiles field's continuation lines, as value ranges */
  int fields, last;
} Stanza;

static int value(Stanza *s, const uint8_t *b, size_t from, size_t to, int32_t range[2]) {
  range[0] = (int32_t)s->values.used;
  if (put(&s->values, b + from, to - from)) return -1;
  range[1] = (int32_t)s->values.used;
  return 0;
}

/* A stanza with fields: per wanted field its first line's value range (-1, -1: absent), then the Conffiles continuation lines. */
static int endStanza(Stanza *s) {
  int failed = 0;
  if (s->fields) {
    failed = put(&s->out, s->at, sizeof s->at) || put32(&s->out, (uint32_t)(s->more.used / 8)) || put(&s->out, s->more.bytes, s->more.used);
  }
  memset(s->at, 0xff, sizeof s->at);
  s->more.used = 0;
  s->fields = 0;
  s->last = -1;
  return failed ? -1 : 0;
}

static int line(Stanza *s, const uint8_t *b, size_t n, size_t start, size_t end) {
  size_t i = start;
  while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
  if (i == end) return endStanza(s);
  if (b[start] == ' ' || b[start] == '\t') {
    if (s->last != CONFFILES) return 0;
    int32_t range[2];
    return value(s, b, start, end, range) || put(&s->more, range, sizeof range);
  }
  /* The first colon from the line's start, even past its end (indexOf), must be inside it. */
  const uint8_t *colon = memchr(b + start, ':', n - start);
  if (!colon || colon == b + start || (size_t)(colon - b) >= end) return 0;
  s->fields++;
  s->last = fieldOf(b + start, (size_t)(colon - b) - start);
  if (s->last < 0) return 0;
  size_t from = (size_t)(colon - b) + 1, to = end;
  while (from < to && space(b[from])) from++;
  while (to > from && space(b[to - 1])) to--;
  if (s->last == CONFFILES) s->more.used = 0;
  return value(s, b, from, to, s->at[s->last]);
}

/* dpkgStatusFields(status: Buffer): [stanzas, values] (see native-dpkg-status.ts). */
static napi_value DpkgStatusFields(napi_env env, napi_callback_info info) {
  size_t argc = 1, n;
  napi_value argv[1];
  uint8_t *b;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_buffer_info(env, argv[0], (void **)&b, &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "dpkgStatusFields wants a Buffer");
    return NULL;
  }
  Stanza s;
  memset(&s, 0, sizeof s);
  int failed = endStanza(&s);
  for (size_t start = 0; start <= n && !failed;) {
    const uint8_t *newline = start < n ? memchr(b + start, '\n', n - start) : NULL;
    size_t end = newline ? (size_t)(newline - b) : n;
    failed = line(&s, b, n, start, end);
    start = end + 1;
  }
  failed = failed || endStanza(&s);
  napi_value result = NULL, stanzas, values;
  if (!failed && napi_create_buffer_copy(env, s.out.used, s.out.used ? (void *)s.out.bytes : "", NULL, &stanzas) == napi_ok &&
      napi_create_buffer_copy(env, s.values.used, s.values.used ? (void *)s.values.bytes : "", NULL, &values) == napi_ok &&
      napi_create_array_with_length(env, 2, &result) == napi_ok) {
    napi_set_element(env, result, 0, stanzas);
    napi_set_element(env, result, 1, values);
  } else {
    result = NULL;
    napi_throw_error(env, "ENOMEM", "dpkgStatusFields: out of memory");
  }
  free(s.out.bytes), free(s.values.bytes), free(s.more.bytes);
  return result;
}

void registerDpkgStatus(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "dpkgStatusFields", NAPI_AUTO_LENGTH, DpkgStatusFields, NULL, &fn);
  napi_set_named_property(env, exports, "dpkgStatusFields", fn);
}
