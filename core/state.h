/*
 * state.h: the state database .cairn/tmp/state (DESIGN 6), an SQLite
 * file mapping a workspace path to its content id while (device, inode,
 * size, mtime_ns, ctime_ns) are unchanged. Entries whose mtime or ctime is
 * not clearly older than the moment they were recorded are "racy" and not
 * trusted. It is only a cache: a damaged file is recreated, a busy one is
 * skipped. One handle per thread.
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

/* Load every entry under prefix ("" for all) into memory for fast lookups. */
void state_preload(struct state *s, const char *prefix);

/* The recorded id of relpath when st still matches and the entry is not racy. */
bool state_lookup(struct state *s, const char *relpath, const struct stat *st, struct oid *id);

/* Queue a record; statted_ns is when st was taken, before the content was read. */
void state_record(struct state *s, const char *relpath, const struct stat *st,
		  const struct oid *id, int64_t statted_ns);

/* Forget entries at or under relpath (after a move or untrack). */
void state_forget(struct state *s, const char *relpath);

#endif
