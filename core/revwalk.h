/*
 * revwalk.h: which Git commits a command keeps or moves the data of
 * (DESIGN 8): the tips of refs under a prefix (branches, tags,
 * experiments), every commit of the history, a revision and its first
 * parents, the new commits of a push, every stash entry, and the other
 * work trees of a repository. Commits are visited by id (hex), each once
 * per call; their pointers are then read with core/rev.h. Not thread-safe.
 */
#ifndef CAIRN_CORE_REVWALK_H
#define CAIRN_CORE_REVWALK_H

#include "core/error.h"

struct repo;

/* One commit: its hex id and what names it ("refs/tags/v1", "stash@{0} index", ...). */
typedef const struct cairn_error *(*revwalk_cb)(const char *hex, const char *what, void *arg);

/*
 * The commit of every ref whose name starts with prefix ("refs/heads/",
 * "refs/tags/", "refs/cairn/exps/"), annotated tags peeled; refs that do
 * not lead to a commit are skipped. In ref name order.
 */
const struct cairn_error *revwalk_refs(struct repo *r, const char *prefix, revwalk_cb cb,
				       void *arg);

/* Every commit reachable from any ref or from HEAD (git rev-list --all), newest first. */
const struct cairn_error *revwalk_all(struct repo *r, revwalk_cb cb, void *arg);

/* spec and its first parents, n commits in all (fewer at the root). */
const struct cairn_error *revwalk_first_parents(struct repo *r, const char *spec, int n,
						revwalk_cb cb, void *arg);

/*
 * The commits reachable from hex but not from hide (NULL, zero or unknown
 * here: hide nothing); tags are peeled. NOT_FOUND when hex names no commit.
 */
const struct cairn_error *revwalk_new(struct repo *r, const char *hex, const char *hide,
				      revwalk_cb cb, void *arg);

/*
 * Every stash entry (the reflog of refs/stash): its work tree commit, its
 * index commit and, when the entry has one, its untracked-files commit.
 */
const struct cairn_error *revwalk_stash(struct repo *r, revwalk_cb cb, void *arg);

/*
 * The other work trees of r's repository: every linked worktree, and the
 * main one when r is linked. root is the work tree folder; a worktree
 * whose folder is gone is a NOT_FOUND error naming it (its data cannot be
 * read, so nothing may be decided about it).
 */
typedef const struct cairn_error *(*revwalk_tree_cb)(const char *root, const char *name,
						     void *arg);
const struct cairn_error *revwalk_worktrees(struct repo *r, revwalk_tree_cb cb, void *arg);

#endif
