/*
 * repo.h: the Git work tree cairn lives in, found with libgit2 from the
 * current folder (DESIGN 8), and the paths derived from it: .cairn/, its
 * tmp/ and the cache (cache.dir, else the main work tree's .cairn/cache so
 * linked worktrees share one cache). Paths inside cairn are relative to the
 * work tree root with '/' separators. One handle per thread.
 */
#ifndef CAIRN_CORE_REPO_H
#define CAIRN_CORE_REPO_H

#include <stdbool.h>

#include "core/error.h"

struct git_repository;
struct config;
struct cache;

struct repo {
	struct git_repository *git;
	char *root;        /* work tree root: absolute, physical, no trailing '/' */
	int rootfd;        /* O_DIRECTORY descriptor of root */
	char *cairn_dir;   /* <root>/.cairn */
	char *tmp_dir;     /* <root>/.cairn/tmp */
	bool initialised;  /* .cairn/ exists */
	struct config *cfg;
	struct cache *cache; /* opened by repo_cache */
};

/*
 * Find the work tree containing the current folder. NOT_REPO outside one;
 * FAILED when cairn's own files or folders under .cairn are symlinks, or
 * Git tracks anything under .cairn/cache or .cairn/tmp (a hostile clone).
 */
const struct cairn_error *repo_open(struct repo **out);
/* The same for the work tree containing dir (another worktree, a project sharing the cache). */
const struct cairn_error *repo_open_at(struct repo **out, const char *dir);
void repo_close(struct repo *r);

/* NOT_REPO with a hint when .cairn/ does not exist. */
const struct cairn_error *repo_require_init(const struct repo *r);

/*
 * Resolve a path given by the user (relative to the current folder) to a
 * path relative to the root ("" for the root itself). NOT_FOUND-free: the
 * path need not exist. An error when it is outside the work tree.
 */
const struct cairn_error *repo_relpath(char **out, const struct repo *r, const char *user_path);

/* The cache, opened on first use (configured by cache.dir). Borrowed. */
const struct cairn_error *repo_cache(struct cache **out, struct repo *r);
/*
 * The root of the repository's main work tree: r->root, or for a linked
 * worktree the work tree its common Git dir belongs to (caller frees).
 */
char *repo_main_root(const struct repo *r);
/* The cache folder that repo_cache opens (caller frees). */
char *repo_cache_dir(struct repo *r);

/* Is rel in the Git index (exactly), or is some indexed path under rel/? */
const struct cairn_error *repo_git_tracked(bool *out, struct repo *r, const char *rel);
/* First indexed path under rel/ (caller frees), or NULL. */
const struct cairn_error *repo_git_tracked_under(char **out, struct repo *r, const char *rel);

#endif
