/*
 * batchScheduling(): puts every thread of this process under SCHED_BATCH, as `chrt -b 0` does.
 * A scan is a batch job, and on two cores its threads (the walk's JavaScript, libuv's pool that
 * lists and hashes, V8's compiler) kept preempting one another at each wakeup: the walk's thread
 * lost the core each time it handed a listing to the pool. A batch thread does not preempt on
 * wakeup, so neither does it preempt an interactive program. Threads made later inherit it; a
 * thread under a real-time policy is left as it is. Part of the walker addon (binding.gyp).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include "addon-functions.h"

/* How many threads were moved, or the errno (negated) when none could be. */
static napi_value BatchScheduling(napi_env env, napi_callback_info info) {
  (void)info;
  int moved = 0, error = 0;
  DIR *tasks = opendir("/proc/self/task");
  if (!tasks) error = errno;
  for (struct dirent *d; tasks && (d = readdir(tasks)) != NULL;) {
    if (d->d_name[0] < '0' || d->d_name[0] > '9') continue;
    pid_t tid = (pid_t)atoi(d->d_name);
    if (sched_getscheduler(tid) != SCHED_OTHER) continue;
    struct sched_param none = {0};
    if (sched_setscheduler(tid, SCHED_BATCH, &none) == 0) moved++;
    else error = errno;
  }
  if (tasks) closedir(tasks);
  napi_value result;
  napi_create_int32(env, moved > 0 || error == 0 ? moved : -error, &result);
  return result;
}

/* Adds batchScheduling to the addon's exports. */
void registerBatchScheduling(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "batchScheduling", NAPI_AUTO_LENGTH, BatchScheduling, NULL, &fn);
  napi_set_named_property(env, exports, "batchScheduling", fn);
}
