/*
 * revset.h: the tracked outputs of a set of revisions, for the revision
 * options of fetch, pull and push (--rev, --all-branches, --all-tags,
 * --all-commits) and the pre-push hook: every distinct pointer of those
 * commits, read from Git objects (core/rev.h), each pointer file read once
 * however many commits share it. Not thread-safe.
 */
#ifndef CAIRN_CORE_REVSET_H
#define CAIRN_CORE_REVSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/rev.h"

struct out_list;
struct repo;
struct oidset;

struct revset_opts {
	const char *const *revs; /* revisions (anything naming a commit) */
	size_t nrevs;
	bool all_branches;       /* every refs/heads/ tip */
	bool all_tags;           /* every refs/tags/ tip */
	bool all_commits;        /* every commit reachable from a ref or HEAD */
};

bool revset_any(const struct revset_opts *o);

/*
 * Append to l every pointer of the revisions o names that seen does not
 * hold yet (Git ids of trees and pointer files; the caller owns it and may
 * share it between calls). With npaths, only outputs at or below one of
 * the root-relative paths. Unknown revisions are NOT_FOUND errors.
 */
const struct cairn_error *revset_outs(struct out_list *l, struct repo *r,
				      const struct revset_opts *o, char *const *paths,
				      size_t npaths, struct oidset *seen);

/*
 * The same for one commit (hex or any revision). With bad set, a malformed
 * pointer or cairn.lock is handed to it (core/rev.h; cairn.lock comes without
 * its text) and skipped instead of being an error.
 */
const struct cairn_error *revset_commit_outs(struct out_list *l, struct repo *r,
					     const char *spec, char *const *paths, size_t npaths,
					     struct oidset *seen, rev_bad_cb bad, void *arg);

#endif
