/*
 * state.h: the state database .cairn/tmp/state (DESIGN 6), an SQLite
 * file mapping a workspace path to its content id while (device, inode,
 * size, mtime_ns, ctime_ns) are unchanged. Entries whose mtime or ctime is
 * not clearly older than the moment they were stat'ed are "racy" and not
 * trusted (C13). Folders have rows too: a folder's manifest id, valid while
 * the fingerprint of its entries (names, the same stat fields, symlink
 * targets, the ids of its subfolders) is unchanged, so an unchanged folder
 * is neither looked up file by file nor hashed. It is only a cache: a
 * damaged or deleted file is recreated, a busy one is skipped. One handle
 * per thread.
 */
#ifndef CAIRN_CORE_STATE_H
#define CAIRN_CORE_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/oid.h"

struct state;

/* Open or create the database at path; never fails hard (NULL state = no caching). */
struct state *state_open(const char *path);
/* Write pending records (one transaction) and close. */
void state_close(struct state *s);

/* Is st too close to statted_ns (when it was taken) to be trusted? */
bool state_racy(const struct stat *st, int64_t statted_ns);

/* Load every entry under prefix ("" for all) into memory for fast lookups. */
void state_preload(struct state *s, const char *prefix);

/* The recorded id of relpath when st still matches and the entry is not racy. */
bool state_lookup(struct state *s, const char *relpath, const struct stat *st, struct oid *id);

/* Queue a record; statted_ns is when st was taken, before the content was read. */
void state_record(struct state *s, const char *relpath, const struct stat *st,
		  const struct oid *id, int64_t statted_ns);

/* A folder's row: its manifest and what the manifest declares. */
struct state_dir {
	struct oid fp;   /* fingerprint of the folder's entries */
	struct oid id;   /* manifest id */
	uint64_t size;   /* bytes below */
	uint64_t nfiles; /* files and symlinks below */
};

/* Load the folder rows at or under prefix into memory (one query). */
void state_preload_dirs(struct state *s, const char *prefix);
/* The row of folder relpath when its fingerprint is still fp. */
bool state_dir_lookup(struct state *s, const char *relpath, const struct oid *fp,
		      struct state_dir *out);
/* Queue a folder row (only for folders none of whose entries was racy). */
void state_dir_record(struct state *s, const char *relpath, const struct state_dir *d);

/* Forget entries at or under relpath (after an untrack). */
void state_forget(struct state *s, const char *relpath);
/* Move entries at or under from to the same place under to (after a move). */
void state_move(struct state *s, const char *from, const char *to);

#endif
