/*
 * gcscope.h: what gc keeps, read from Git (DESIGN 8): the scopes a user
 * names (revisions and their first parents, every branch, tag, commit or
 * experiment) and what is always kept (the workspace, the index with its
 * conflict stages, every stash entry, the workspace and index of every
 * other work tree), added to a root set (core/gcroots.h) one scope at a
 * time so gc can print what each kept. Also the projects sharing the cache
 * (C23) and the refs whose data a gc would take away. A malformed pointer
 * or cairn.lock read from Git keeps every id its text spells
 * (GCROOTS_MALFORMED) instead of failing; one in a workspace is an error.
 * Only these options decide what is kept: no other setting is read. Not
 * thread-safe.
 */
#ifndef CAIRN_CORE_GCSCOPE_H
#define CAIRN_CORE_GCSCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct gcroots;
struct repo;

#define GCSCOPE_EXPS "refs/cairn/exps/"

struct gcscope_opts {
	bool workspace;          /* -w: the work tree's pointer files (always kept) */
	const char *const *revs; /* --rev: revisions ... */
	size_t nrevs;
	int num;                 /* -n: ... and their first parents, num commits each (>= 1) */
	bool all_branches;       /* -a: every refs/heads/ tip */
	bool all_tags;           /* -T: every refs/tags/ tip */
	bool all_commits;        /* -A: every commit reachable from a ref or HEAD */
	bool all_experiments;    /* every refs/cairn/exps/ tip */
};

/* Is any scope named (the always-kept ones do not count)? */
bool gcscope_any(const struct gcscope_opts *o);

/*
 * Add to g what repository r keeps under o, and always its workspace, its
 * index, its stash entries and the workspace and index of its other work
 * trees. Each
 * source is a scope named after it ("workspace", "index", "stash", "tags",
 * "worktree PATH", ...), after prefix (for other projects). Revisions of
 * o->revs that r does not know are errors.
 */
const struct cairn_error *gcscope_add(struct gcroots *g, struct repo *r,
				      const struct gcscope_opts *o, const char *prefix);

/* One pointer a ref still names whose data g does not keep (ref, output path). */
typedef void (*gcscope_lost_cb)(const char *ref, const char *path, void *arg);
/*
 * The data that branch and tag tips and each work tree's HEAD still name,
 * present in the cache and not kept by g: what a gc with g would take away
 * from them. *lost counts pointers.
 */
const struct cairn_error *gcscope_check_refs(size_t *lost, struct repo *r,
					     const struct gcroots *g, gcscope_lost_cb cb,
					     void *arg);

/*
 * Every other project registered as a user of r's cache (core/cacheuse.h):
 * open it (cb gets its repository, to add its roots or check its refs).
 * A project that moved to another cache is forgotten; one whose folder is
 * gone is a NOT_FOUND error naming its registration, since what it uses
 * cannot be known.
 */
typedef const struct cairn_error *(*gcscope_project_cb)(struct repo *other, void *arg);
const struct cairn_error *gcscope_projects(struct repo *r, gcscope_project_cb cb, void *arg);

#endif
