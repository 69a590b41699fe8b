/*
 * wtree.h: temporary linked Git worktrees for experiments and reproduce,
 * made with `git worktree add --detach` under the main work tree's
 * .cairn/tmp/wt/ (the same file system as the cache, which linked worktrees
 * share: repo.h). A new worktree gets the main work tree's .cairn/config
 * (when its commit has none) and .cairn/config.local, so it sees the same
 * cache and remotes. Not thread-safe.
 */
#ifndef CAIRN_CORE_WTREE_H
#define CAIRN_CORE_WTREE_H

#include <stdbool.h>

#include "core/error.h"

struct repo;

/*
 * Check out commit (hex) detached into a new folder .cairn/tmp/wt/<name>-XXXXXX
 * of r's main work tree. *path gets its absolute path (caller frees).
 */
const struct cairn_error *wtree_add(char **path, struct repo *r, const char *commit,
				    const char *name);

/* Remove the worktree at path and its Git administrative files. */
const struct cairn_error *wtree_remove(struct repo *r, const char *path);

/* Forget worktrees whose folders are gone (git worktree prune). */
void wtree_prune(struct repo *r);

/* The main work tree's root (r's own root unless r is a linked worktree). Caller frees. */
char *wtree_main_root(struct repo *r);

/* Is r one of the temporary worktrees wtree_add makes (nobody commits there)? */
bool wtree_is_temporary(struct repo *r);

#endif
