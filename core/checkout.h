/*
 * checkout.h: restore a tracked output's workspace data from the cache.
 * Everything is checked before anything is written: every manifest and
 * name, the presence of every object, and that no workspace data would be
 * lost (a modified file or an extra file whose content is not in the
 * cache); such paths are refused with WOULD_CLOBBER unless forced. Writes
 * go through folder descriptors opened without following symlinks.
 * Not thread-safe.
 */
#ifndef CAIRN_CORE_CHECKOUT_H
#define CAIRN_CORE_CHECKOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct buf;
struct work;
struct out;

/* Progress: files placed so far out of the files to place. */
typedef void (*checkout_progress_cb)(uint64_t done, uint64_t total, void *arg);

struct checkout_opts {
	bool force;  /* overwrite and delete uncommitted data */
	bool relink; /* place every file again (after a change of cache.type) */
	checkout_progress_cb progress;
	void *progress_arg;
	struct buf *unsafe; /* when set, WOULD_CLOBBER also puts its list of paths here */
};

struct checkout_result {
	uint64_t written; /* files, symlinks and folders created or replaced */
	uint64_t removed; /* workspace entries removed */
};

const struct cairn_error *checkout_out(struct checkout_result *res, struct work *w,
				       const struct out *o, const struct checkout_opts *opts);

#endif
