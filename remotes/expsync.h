/*
 * expsync.h: experiments between repositories: their refs
 * (refs/cairn/exps/...) pushed to and fetched from a Git remote with
 * libgit2, and the data their commits record (stage outputs in cairn.lock
 * and pointer files' outputs) through the default cairn remote (core.remote;
 * remotes/xfer.h), so an experiment pulled into a clone can be applied there.
 * Not thread-safe.
 */
#ifndef CAIRN_REMOTES_EXPSYNC_H
#define CAIRN_REMOTES_EXPSYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "remotes/xfer.h"

struct repo;

struct expsync_result {
	size_t refs;        /* experiment refs sent or received */
	bool data;          /* data went through a cairn remote */
	struct xfer_result xfer;
};

void expsync_result_release(struct expsync_result *res);

/*
 * Push the named experiments (all of every baseline when n is 0) to the Git
 * remote gitremote (a configured name, a path or a URL), data first.
 * NOT_FOUND for an unknown experiment; data missing everywhere is an error
 * and no ref is pushed then. Without force, WOULD_CLOBBER (before anything
 * moves) when one exists on the remote as another commit that is not an
 * ancestor of ours.
 */
const struct cairn_error *expsync_push(struct expsync_result *res, struct repo *r,
				       const char *gitremote, char **names, size_t n, bool force,
				       const struct xfer_opts *opts);

/*
 * Fetch the named experiments (all when n is 0) from gitremote, then their
 * data. Without force, WOULD_CLOBBER (and no ref changed) when one exists
 * here as another commit that the remote's does not descend from.
 */
const struct cairn_error *expsync_pull(struct expsync_result *res, struct repo *r,
				       const char *gitremote, char **names, size_t n, bool force,
				       const struct xfer_opts *opts);

#endif
