/*
 * fsutil.h: file system helpers: full reads and writes, atomic replace
 * (temp + fsync + rename + directory fsync), copies with reflink and
 * copy_file_range, and directory walks that never follow a symlink.
 * Thread-safe.
 */
#ifndef CAIRN_CORE_FSUTIL_H
#define CAIRN_CORE_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/error.h"

/* Write all n bytes, retrying on EINTR and short writes. */
const struct cairn_error *fs_write_all(int fd, const void *data, size_t n);

/* Read a whole small file into b (appended); refuses files over max bytes. */
const struct cairn_error *fs_read_file(struct buf *b, const char *path, size_t max);
const struct cairn_error *fs_read_fd(struct buf *b, int fd, size_t max, const char *what);

/* mkdir -p with the given mode for created directories. */
const struct cairn_error *fs_mkdirs(const char *path, mode_t mode);

/*
 * Replace dirfd/name atomically with data: a temp file in the same folder,
 * fsync, rename over name, fsync of the folder. Never follows a symlink at
 * name (the rename replaces the link itself).
 */
const struct cairn_error *fs_atomic_write_at(int dirfd, const char *name, const void *data,
					     size_t len, mode_t mode);
/* Same, for a path (its folder is opened normally). */
const struct cairn_error *fs_atomic_write(const char *path, const void *data, size_t len,
					  mode_t mode);

/*
 * Open the folder rel (a relative path with '/' separators, "" for root
 * itself) beneath rootfd without following any symlink. With create,
 * missing folders are made (mode 0777 & ~umask). *out gets an O_DIRECTORY
 * descriptor. A symlink on the way is a FAILED error naming it, a file on
 * the way is EXISTS, a missing folder without create is NOT_FOUND.
 */
const struct cairn_error *fs_open_dir_beneath(int *out, int rootfd, const char *rel, bool create);

/* Clone src into dst (FICLONE); false when the file system cannot. */
bool fs_reflink(int dstfd, int srcfd);

/* Copy size bytes from src to dst from their current offsets. */
const struct cairn_error *fs_copy_fd(int dstfd, int srcfd, uint64_t size);

/* fsync a directory by path or descriptor. */
const struct cairn_error *fs_fsync_dir(const char *path);

/* Current wall clock in nanoseconds. */
int64_t fs_now_ns(void);

/* Join a and b with one '/', either may be empty. Caller frees. */
char *fs_join(const char *a, const char *b);

/* Last component / everything before it of a '/'-separated path (caller frees). */
char *fs_dirname(const char *path);
const char *fs_basename(const char *path);

/* Remove a tree (no symlink following); missing is fine. */
const struct cairn_error *fs_remove_tree_at(int dirfd, const char *name);

#endif
