/*
 * lockfile.h: cairn.lock (DESIGN 9; cairn.lock(5)), what the last run of
 * each stage used and produced: its command, each dependency and output
 * (path, sha256, size, nfiles), the values of its params, the image digest,
 * the Git commit the run started from and whether the tree was dirty, and
 * cairn's version. Written atomically with stages, paths and keys in sorted
 * order so diffs and merges stay small. Reading refuses merge-conflict
 * markers and validates every path and id (a lockfile may come from a
 * hostile clone). The outputs it records are tracked outputs like pointer
 * files' (struct out), for checkout, status, push, fetch and gc.
 * Not thread-safe.
 */
#ifndef CAIRN_CORE_LOCKFILE_H
#define CAIRN_CORE_LOCKFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/oid.h"

#define LOCKFILE_NAME "cairn.lock"
#define LOCKFILE_MAX_BYTES (64u << 20)

struct repo;
struct out_list;

struct lockfile_entry {
	char *path;      /* relative to the root, or absolute for an external dependency */
	struct oid id;   /* file content, or root manifest of a folder */
	uint64_t size;   /* bytes (folders: the sum) */
	uint64_t nfiles; /* folders only */
	bool dir;        /* a folder (nfiles is recorded) */
	bool exec;       /* an executable file */
};

struct lockfile_stage {
	char *name;
	char **cmd;
	size_t ncmd;
	struct lockfile_entry *deps, *outs, *metrics;
	size_t ndeps, nouts, nmetrics;
	json_t *params; /* {file: {dotted key: value}}; never NULL */
	char *image;    /* resolved image (NAME@sha256:...), or NULL */
	char *commit;   /* HEAD when the run started (40 hex), or NULL */
	bool dirty;     /* the work tree had uncommitted changes then */
	char *version;  /* cairn's version */
};

struct lockfile {
	struct lockfile_stage *v; /* sorted by name (lockfile_find searches) */
	size_t n, cap;
	bool exists; /* the file was there */
};

void lockfile_stage_release(struct lockfile_stage *s);
void lockfile_release(struct lockfile *lk);

/* Parse text; name is used in errors. Conflict markers are a FORMAT error with a hint. */
const struct cairn_error *lockfile_parse(struct lockfile *lk, const char *data, size_t len,
					 const char *name);
/* Read <root>/cairn.lock; missing is an empty lockfile. */
const struct cairn_error *lockfile_load(struct lockfile *lk, struct repo *r);
/* Read cairn.lock of a revision (rev.h); missing is empty. */
const struct cairn_error *lockfile_load_rev(struct lockfile *lk, struct repo *r, const char *spec);

/* Canonical text (sorted). */
const struct cairn_error *lockfile_format(struct buf *out, const struct lockfile *lk);
/* Write <root>/cairn.lock atomically (removed when it holds no stage). */
const struct cairn_error *lockfile_write(const struct lockfile *lk, struct repo *r);

/* The record of a stage, or NULL (borrowed). */
struct lockfile_stage *lockfile_find(const struct lockfile *lk, const char *name);
/* Replace or add the record of s->name; takes ownership of *s (which is zeroed). */
void lockfile_put(struct lockfile *lk, struct lockfile_stage *s);
/* Drop the record of name; true when there was one. */
bool lockfile_drop(struct lockfile *lk, const char *name);

/*
 * Append every cached output the lockfile records to l as struct out (ptr_rel
 * is "cairn.lock", rel the output, ptr a pointer built from the record), the
 * same shape as pointer files' outputs. Metrics (kept in Git) are not listed.
 */
void lockfile_outs(struct out_list *l, const struct lockfile *lk);

#endif
