/*
 * stageout.h: the data side of stages: hashing a dependency or output
 * (a file or a folder, as a Merkle tree like cairn add's; an external
 * dependency by its absolute path), storing outputs in the cache, keeping
 * them out of Git, removing them before a run, and restoring them from
 * the cache as recorded in cairn.lock. Not thread-safe.
 */
#ifndef CAIRN_CORE_STAGEOUT_H
#define CAIRN_CORE_STAGEOUT_H

#include <stdbool.h>

#include "core/error.h"

struct work;
struct lockfile_entry;

/*
 * Hash path (relative to the root, or absolute when external) into en
 * (id, size, nfiles, dir, exec; en->path is set to a copy of path). With
 * store, every file and manifest also goes into the cache and is durable on
 * return. NOT_FOUND when the path does not exist; symlinks and special
 * files are refused.
 */
const struct cairn_error *stageout_hash(struct lockfile_entry *en, struct work *w,
					const char *path, bool external, bool store);

/*
 * Before a stage runs: remove its output rel when the cache holds what is
 * there now (nothing is lost) or with force; leave it for the command to
 * overwrite otherwise.
 */
const struct cairn_error *stageout_clear(struct work *w, const char *rel, bool force);

/* Keep a cached output out of Git (/NAME in its folder's .gitignore). */
const struct cairn_error *stageout_ignore(struct work *w, const char *rel);

/* Put a recorded output back from the cache (checkout rules; force overwrites). */
const struct cairn_error *stageout_restore(struct work *w, const struct lockfile_entry *en,
					   bool force);



struct repo;
struct out_list;

/*
 * The tracked outputs a command works on: with no paths, every pointer file's
 * output and every cached output cairn.lock records; else those named (a
 * path names a lockfile output when it is the output, inside it, or a folder
 * holding it; other paths go to out_collect_args). Sorted by path.
 */
const struct cairn_error *stageout_collect(struct out_list *l, struct repo *r, char **paths,
					   int n);
/* Only the cached outputs cairn.lock records at revision spec, appended to l (unsorted). */
const struct cairn_error *stageout_rev_locked(struct out_list *l, struct repo *r,
					      const char *spec);

/*
 * Every tracked output of revision spec, read from Git objects (rev.h): its
 * pointer files' outputs and the cached outputs its cairn.lock records, in
 * the struct out shape (push/fetch --rev, gc revision scopes, experiments).
 * Appended to l, sorted by path.
 */
const struct cairn_error *stageout_rev_collect(struct out_list *l, struct repo *r,
					       const char *spec);

#endif
