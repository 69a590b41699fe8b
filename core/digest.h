/*
 * digest.h: content ids for the files of a workspace tree: from the state
 * database when a file is unchanged, else by reading it on all cores. With a
 * cache, each file read is stored at the same time (one read per byte).
 * Progress and cancellation come through callbacks. Not thread-safe per ctx.
 */
#ifndef CAIRN_CORE_DIGEST_H
#define CAIRN_CORE_DIGEST_H

#include <stdint.h>

#include "core/error.h"
#include "core/par.h"
#include "core/tree.h"

struct state;
struct cache;

/* Progress: files and bytes done so far out of the totals to read. */
typedef void (*digest_progress_cb)(uint64_t files, uint64_t files_total, uint64_t bytes,
				   uint64_t bytes_total, void *arg);

struct digest_ctx {
	int rootfd;                  /* paths are relative to this folder */
	struct state *state;         /* may be NULL */
	struct cache *cache;         /* store what is read when set */
	int jobs;                    /* threads; <= 0: one per CPU */
	par_cancel_cb cancel;        /* polled between files and chunks */
	void *cancel_arg;
	digest_progress_cb progress; /* called from one thread only */
	void *progress_arg;
};

/* Give every file of t (the folder rel) its id; records new ids in the state. */
const struct cairn_error *digest_tree(struct digest_ctx *d, struct tree *t, const char *rel);

/*
 * The manifest id of t (the folder rel), with its size and file count:
 * digest_tree and tree_seal (storing the manifests when d->cache is set),
 * plus the folder rows of the state database. Without a cache, a folder
 * whose entries' stat data are unchanged keeps its recorded id and its
 * files are not looked at one by one (their entries stay unknown; the
 * folder's entry is marked dir_cached).
 */
const struct cairn_error *digest_tree_id(struct digest_ctx *d, struct tree *t, const char *rel,
					 struct oid *root, uint64_t *size, uint64_t *nfiles);

/* Same for one file; te->st must hold its lstat. */
const struct cairn_error *digest_file(struct digest_ctx *d, const char *rel,
				      struct tree_entry *te);

#endif
