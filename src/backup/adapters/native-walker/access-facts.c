/*
 * Facts about this process's kernel that decide whether access(2) can answer anything but what
 * the mode bits and capabilities say (src/backup/adapters/access-known/access-known.ts decides):
 * the active Linux security modules, and the types of the loaded BPF programs. Part of the
 * walker addon (binding.gyp).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "addon-functions.h"

/* An array of `count` numbers, or the errno as a number when `count` is negative. */
static napi_value numbers(napi_env env, const uint64_t *values, long count) {
  napi_value result, n;
  if (count < 0) {
    napi_create_int32(env, (int32_t)-count, &result);
    return result;
  }
  napi_create_array_with_length(env, (size_t)count, &result);
  for (long i = 0; i < count; i++) {
    napi_create_double(env, (double)values[i], &n);
    napi_set_element(env, result, (uint32_t)i, n);
  }
  return result;
}

#ifndef SYS_lsm_list_modules
#if defined(__x86_64__) || defined(__aarch64__) || defined(__riscv)
#define SYS_lsm_list_modules 461
#endif
#endif

/* securityModules(): the ids of the active LSMs (lsm_list_modules(2), Linux 6.8), or the errno. */
static napi_value SecurityModules(napi_env env, napi_callback_info info) {
  (void)info;
  uint64_t ids[64];
  uint32_t size = sizeof ids;
#ifdef SYS_lsm_list_modules
  long count = syscall(SYS_lsm_list_modules, ids, &size, 0);
#else
  long count = (errno = ENOSYS, -1);
#endif
  return numbers(env, ids, count < 0 ? -(long)errno : count);
}

/* bpfProgramTypes(): the type of every loaded BPF program (one may rewrite what a security hook
   answers), or the errno (listing them needs CAP_SYS_ADMIN). At most 4096 are listed. */
static napi_value BpfProgramTypes(napi_env env, napi_callback_info info) {
  (void)info;
  static uint64_t types[4096];
  long count = 0;
  union bpf_attr a;
  for (uint32_t id = 0; count < 4096;) {
    memset(&a, 0, sizeof a);
    a.start_id = id;
    if (syscall(SYS_bpf, BPF_PROG_GET_NEXT_ID, &a, sizeof a) != 0) return numbers(env, types, errno == ENOENT ? count : -(long)errno);
    id = a.next_id;
    memset(&a, 0, sizeof a);
    a.prog_id = id;
    int fd = (int)syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &a, sizeof a);
    if (fd < 0 && errno == ENOENT) continue; /* unloaded meanwhile */
    if (fd < 0) return numbers(env, types, -(long)errno);
    struct bpf_prog_info p;
    memset(&p, 0, sizeof p);
    memset(&a, 0, sizeof a);
    a.info.bpf_fd = (uint32_t)fd;
    a.info.info_len = sizeof p;
    a.info.info = (uint64_t)(uintptr_t)&p;
    int got = (int)syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a);
    close(fd);
    if (got != 0) return numbers(env, types, -(long)errno);
    types[count++] = p.type;
  }
  return numbers(env, types, -(long)E2BIG);
}

/* Adds securityModules and bpfProgramTypes to the addon's exports. */
void registerAccessFacts(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "securityModules", NAPI_AUTO_LENGTH, SecurityModules, NULL, &fn);
  napi_set_named_property(env, exports, "securityModules", fn);
  napi_create_function(env, "bpfProgramTypes", NAPI_AUTO_LENGTH, BpfProgramTypes, NULL, &fn);
  napi_set_named_property(env, exports, "bpfProgramTypes", fn);
}
