/*
 * A directory read in one call: every entry's name, lstat fields and whether access() would let
 * the caller read it, as fixed-width binary records in one Buffer. The names and stats come from
 * the open directory's fd (fstatat, faccessat), so the kernel looks up one name per entry instead
 * of the whole path, as find does. Parsed by src/backup/adapters/native-walker/native-walker.ts.
 *
 * The records come in byte order of their names.
 *
 * Layout, in the host's byte order: u32 count, u32 record size (104; its top bit set when a prefix was given), then `count` records, then
 * the names, each after the `prefix` the caller gave (the folder's path and a slash, so each entry's
 * whole path is there in one piece: the walk then decodes it as one string instead of joining two).
 * A record: u32 name offset (from the first name byte, past its prefix), u32 name length, i32 errno of fstatat
 * (0: ok; the rest is then zero), u32 readable (access R_OK, R_OK|X_OK for a directory: 0 or 1;
 * 1 for a symlink; 2 when the answer is known without asking, see `known`), u64 dev, u64 ino, u32 mode, u32 uid, u32 gid, u32 unused, u64 nlink, u64 rdev,
 * i64 size, i64 mtime s, i64 mtime ns, i64 ctime s, i64 ctime ns.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "listing.h"

static int reserve(Grow *g, size_t more) {
  if (g->used + more <= g->size) return 0;
  size_t size = g->size ? g->size * 2 : 64 * 1024;
  while (size < g->used + more) size *= 2;
  char *next = realloc(g->bytes, size);
  if (!next) return -1;
  g->bytes = next;
  g->size = size;
  return 0;
}

static void put32(char *at, uint32_t v) { memcpy(at, &v, 4); }
static void put64(char *at, uint64_t v) { memcpy(at, &v, 8); }

/*
 * The device of the folder open at `dfd` when access(2) there answers from the mode bits and the
 * capabilities alone, as generic_permission() does: file systems without a ->permission of their
 * own (ext2/3/4, xfs, btrfs, tmpfs, f2fs). Not nfs, cifs, fuse, overlay, proc: they ask elsewhere.
 * -1 when unsure. Only the caller knows whether this process is privileged (access-known.ts).
 */
static dev_t dacOnlyDevice(int dfd) {
  struct statfs f;
  struct stat s;
  if (fstatfs(dfd, &f) != 0 || fstat(dfd, &s) != 0) return (dev_t)-1;
  switch ((uint32_t)f.f_type) {
    case 0xEF53: case 0x58465342: case 0x9123683E: case 0x01021994: case 0xF2F52010: return s.st_dev;
    default: return (dev_t)-1;
  }
}

/* `known`: the device whose files a privileged caller reads whatever their mode, or -1. A mount
   point inside the folder is another device, asked as before; so are devices, FIFOs, sockets. */
static void record(char *r, int dfd, const char *name, uint32_t nameAt, uint32_t nameLength, dev_t known) {
  struct stat s;
  memset(r, 0, RECORD);
  put32(r, nameAt);
  put32(r + 4, nameLength);
  if (fstatat(dfd, name, &s, AT_SYMLINK_NOFOLLOW) != 0) {
    put32(r + 8, (uint32_t)errno);
    return;
  }
  /* As access(2) would answer for the caller (real ids); a symlink is never followed, nor read here. */
  int want = S_ISDIR(s.st_mode) ? R_OK | X_OK : R_OK;
  uint32_t readable;
  if (S_ISLNK(s.st_mode)) readable = 1;
  else if (known != (dev_t)-1 && s.st_dev == known && (S_ISREG(s.st_mode) || S_ISDIR(s.st_mode))) readable = 2;
  else readable = faccessat(dfd, name, want, 0) == 0;
  put32(r + 12, readable);
  put64(r + 16, (uint64_t)s.st_dev);
  put64(r + 24, (uint64_t)s.st_ino);
  put32(r + 32, (uint32_t)s.st_mode);
  put32(r + 36, (uint32_t)s.st_uid);
  put32(r + 40, (uint32_t)s.st_gid);
  put64(r + 48, (uint64_t)s.st_nlink);
  put64(r + 56, (uint64_t)s.st_rdev);
  put64(r + 64, (uint64_t)s.st_size);
  put64(r + 72, (uint64_t)s.st_mtim.tv_sec);
  put64(r + 80, (uint64_t)s.st_mtim.tv_nsec);
  put64(r + 88, (uint64_t)s.st_ctim.tv_sec);
  put64(r + 96, (uint64_t)s.st_ctim.tv_nsec);
}

/* Records first (count known only at the end), names after: two growing areas, joined at the end. */
static int list(const char *path, Prefix prefix, int privileged, Grow *records, Grow *names, uint32_t *count) {
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) return errno;
  dev_t known = privileged ? dacOnlyDevice(dfd) : (dev_t)-1;
  DIR *dir = fdopendir(dfd);
  if (!dir) {
    int e = errno;
    close(dfd);
    return e;
  }
  struct dirent *d;
  errno = 0;
  while ((d = readdir(dir)) != NULL) {
    if (d->d_name[0] == '.' && (d->d_name[1] == 0 || (d->d_name[1] == '.' && d->d_name[2] == 0))) continue;
    size_t length = strlen(d->d_name);
    if (reserve(records, RECORD) || reserve(names, prefix.length + length)) {
      closedir(dir);
      return ENOMEM;
    }
    if (prefix.length) memcpy(names->bytes + names->used, prefix.bytes, prefix.length);
    names->used += prefix.length;
    memcpy(names->bytes + names->used, d->d_name, length);
    record(records->bytes + records->used, dfd, d->d_name, (uint32_t)names->used, (uint32_t)length, known);
    names->used += length;
    records->used += RECORD;
    (*count)++;
    errno = 0;
  }
  int e = errno;
  closedir(dir);
  return e;
}

/* Byte order of two records' names (memcmp, then the shorter first), as the walk sorts them. */
static int byName(const void *a, const void *b, void *names) {
  uint32_t aAt, aLength, bAt, bLength;
  memcpy(&aAt, a, 4);
  memcpy(&aLength, (const char *)a + 4, 4);
  memcpy(&bAt, b, 4);
  memcpy(&bLength, (const char *)b + 4, 4);
  int c = memcmp((const char *)names + aAt, (const char *)names + bAt, aLength < bLength ? aLength : bLength);
  return c ? c : (aLength > bLength) - (aLength < bLength);
}

/* The whole answer, header and names joined after the records (listing.h). */
int listingOf(const char *path, Prefix prefix, int privileged, Grow *records) {
  Grow names = {0};
  uint32_t count = 0;
  int error = list(path, prefix, privileged, records, &names, &count);
  /* Sorted here, on the thread pool: the walk's own sort (it wants byte order) then only checks. */
  if (error == 0 && count > 1) qsort_r(records->bytes, count, RECORD, byName, names.bytes);
  if (error == 0 && reserve(records, HEADER + names.used)) error = ENOMEM;
  if (error == 0) {
    memmove(records->bytes + HEADER, records->bytes, records->used);
    put32(records->bytes, count);
    put32(records->bytes + 4, RECORD | (prefix.length ? PREFIXED : 0));
    if (names.used) memcpy(records->bytes + HEADER + records->used, names.bytes, names.used);
    records->used += HEADER + names.used;
  }
  free(names.bytes);
  return error;
}

