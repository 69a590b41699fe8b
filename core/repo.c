/*
 * repo.c: discovery of the work tree with libgit2 and resolution of user
 * paths against it.
 */
#include "buildconf.h"

#include "core/repo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/cacheuse.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/xmalloc.h"

static char *repo_strip_slash(const char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		n--;
	return xstrndup(s, n);
}

const struct cairn_error *repo_open(struct repo **out)
{
	return repo_open_at(out, ".");
}

/*
 * cairn's own folders and files under dir/.cairn must not be symlinks: one
 * committed in a hostile clone (.cairn/tmp -> somewhere) would have cairn
 * write its locks, state, temp files and objects through it.
 */
static const struct cairn_error *repo_check_own(const char *cairn_dir)
{
	static const char *const own[] = {
		"config", "config.local", "tmp", "tmp/lock", "tmp/state", "tmp/quarantine",
		"tmp/running", "tmp/wt", "tmp/exps", "cache", "cache/sha256", "cache/tmp",
		"cache/runs", "cache/quarantine", NULL,
	};
	struct stat st;
	size_t i;

	for (i = 0; own[i]; i++) {
		char *p = fs_join(cairn_dir, own[i]);
		bool link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);

		free(p);
		if (link)
			return err_hint(err_new(CAIRN_ERR_FAILED,
						"'.cairn/%s' is a symlink; cairn does not write "
						"through it",
						own[i]),
					"remove it (cairn makes what it needs again); for a cache "
					"elsewhere, set cache.dir");
	}
	return NULL;
}

/*
 * Nothing under .cairn/cache or .cairn/tmp comes from Git: a clone that
 * carries files or symlinks there could plant objects under names that are
 * not their hashes, or lead cairn's writes out of the work tree.
 */
static const struct cairn_error *repo_check_tracked(git_repository *git)
{
	static const char *const own[] = { ".cairn/cache", ".cairn/tmp", NULL };
	const struct cairn_error *e = NULL;
	git_index *idx;
	size_t i, pos;

	if (git_repository_index(&idx, git) < 0)
		return err_git("read git index");
	for (i = 0; own[i] && e == NULL; i++) {
		const git_index_entry *ent = git_index_get_bypath(idx, own[i], 0);
		char *under = xasprintf("%s/", own[i]);

		if (ent == NULL && git_index_find_prefix(&pos, idx, under) == 0)
			ent = git_index_get_byindex(idx, pos);
		free(under);
		if (ent)
			e = err_hint(err_new(CAIRN_ERR_FAILED,
					     "'%s' is tracked by git; cairn does not use a cache or "
					     "temp folder that comes from git",
					     ent->path),
				     "untrack and remove it: git rm -r --cached %s && rm -rf %s",
				     own[i], own[i]);
	}
	git_index_free(idx);
	return e;
}

const struct cairn_error *repo_open_at(struct repo **out, const char *dir)
{
	const struct cairn_error *e;
	git_repository *git = NULL;
	struct repo *r;
	struct stat st;
	char *real;
	int rc;

	gitutil_init();
	rc = git_repository_open_ext(&git, dir, 0, NULL);
	if (rc == GIT_ENOTFOUND)
		return err_new(CAIRN_ERR_NOT_REPO, "not inside a git repository");
	if (rc < 0)
		return err_git("open git repository");
	if (git_repository_is_bare(git) || git_repository_workdir(git) == NULL) {
		git_repository_free(git);
		return err_new(CAIRN_ERR_NOT_REPO, "a bare git repository has no work tree");
	}
	r = xcalloc(1, sizeof(*r));
	r->git = git;
	r->rootfd = -1;
	real = realpath(git_repository_workdir(git), NULL);
	r->root = repo_strip_slash(real ? real : git_repository_workdir(git));
	free(real);
	r->rootfd = open(r->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0) {
		e = err_errno("open '%s'", r->root);
		repo_close(r);
		return e;
	}
	r->cairn_dir = fs_join(r->root, ".cairn");
	r->tmp_dir = fs_join(r->cairn_dir, "tmp");
	r->initialised = lstat(r->cairn_dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (r->initialised && ((e = repo_check_own(r->cairn_dir)) != NULL ||
			       (e = repo_check_tracked(git)) != NULL)) {
		repo_close(r);
		return e;
	}
	if (r->initialised && git_repository_is_worktree(git)) {
		/* experiments' worktrees and the default cache live in the main one's */
		char *main = repo_main_root(r), *cdir = fs_join(main, ".cairn");

		e = repo_check_own(cdir);
		free(cdir);
		free(main);
		if (e) {
			repo_close(r);
			return e;
		}
	}
	if ((e = config_open(&r->cfg, r->initialised ? r->cairn_dir : NULL)) != NULL) {
		repo_close(r);
		return e;
	}
	*out = r;
	return NULL;
}

void repo_close(struct repo *r)
{
	if (r == NULL)
		return;
	cache_close(r->cache);
	config_close(r->cfg);
	if (r->rootfd >= 0)
		close(r->rootfd);
	git_repository_free(r->git);
	free(r->root);
	free(r->cairn_dir);
	free(r->tmp_dir);
	free(r);
}

const struct cairn_error *repo_require_init(const struct repo *r)
{
	if (r->initialised)
		return NULL;
	return err_hint(err_new(CAIRN_ERR_NOT_REPO, "cairn is not initialised in '%s'", r->root),
			"run 'cairn init' first");
}

/* Collapse "//", "." and ".." of an absolute path, lexically. */
static char *repo_normalize(const char *abs)
{
	struct buf b = BUF_INIT;
	const char *p = abs;

	buf_init(&b);
	while (*p) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(b.s, '/');

			if (slash) {
				b.len = (size_t)(slash - b.s);
				b.s[b.len] = '\0';
			}
		} else {
			buf_addch(&b, '/');
			buf_add(&b, p, n);
		}
		p += n;
	}
	if (b.len == 0)
		buf_addch(&b, '/');
	return buf_detach(&b);
}

const struct cairn_error *repo_relpath(char **out, const struct repo *r, const char *user_path)
{
	char cwd[PATH_MAX], *abs, *norm, *parent, *real, *full;
	size_t rootlen = strlen(r->root);

	if (*user_path == '\0')
		return err_new(CAIRN_ERR_USAGE, "empty path");
	if (user_path[0] == '/') {
		abs = xstrdup(user_path);
	} else {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return err_errno("getcwd");
		abs = fs_join(cwd, user_path);
	}
	norm = repo_normalize(abs);
	free(abs);
	/* resolve symlinks in the folders above, never in the last component */
	if (strcmp(norm, "/") == 0) {
		full = norm;
	} else {
		parent = fs_dirname(norm);
		real = realpath(parent, NULL);
		full = real ? fs_join(real, fs_basename(norm)) : xstrdup(norm);
		free(real);
		free(parent);
		free(norm);
	}
	if (strcmp(full, r->root) == 0) {
		free(full);
		*out = xstrdup("");
		return NULL;
	}
	if (strncmp(full, r->root, rootlen) != 0 || full[rootlen] != '/') {
		const struct cairn_error *e =
			err_new(CAIRN_ERR_FAILED, "'%s' is outside the repository '%s'", user_path,
				r->root);

		free(full);
		return e;
	}
	*out = xstrdup(full + rootlen + 1);
	free(full);
	return NULL;
}

/* Is cache.dir set (so the cache may be shared with other projects)? */
static bool repo_cache_configured(struct repo *r)
{
	char *dir = NULL;
	bool set = config_get_str(&dir, r->cfg, "cache.dir") == NULL && dir && *dir;

	free(dir);
	return set;
}

char *repo_main_root(const struct repo *r)
{
	const char *common;
	char *c;
	size_t n;

	if (!git_repository_is_worktree(r->git) || (common = git_repository_commondir(r->git)) == NULL)
		return xstrdup(r->root);
	c = repo_strip_slash(common);
	n = strlen(c);
	if (n > 5 && strcmp(c + n - 5, "/.git") == 0) {
		char *real;

		c[n - 5] = '\0';
		real = realpath(c, NULL);
		if (real) {
			free(c);
			return real;
		}
		return c;
	}
	free(c);
	return xstrdup(r->root);
}

char *repo_cache_dir(struct repo *r)
{
	char *dir = NULL;
	const char *common;
	size_t n;

	if (config_get_str(&dir, r->cfg, "cache.dir") == NULL && dir && *dir) {
		char *abs = dir[0] == '/' ? xstrdup(dir) : fs_join(r->cairn_dir, dir);

		free(dir);
		return abs;
	}
	free(dir);
	/* a linked worktree shares the main work tree's cache */
	if (git_repository_is_worktree(r->git) && (common = git_repository_commondir(r->git))) {
		char *c = repo_strip_slash(common);

		n = strlen(c);
		if (n > 5 && strcmp(c + n - 5, "/.git") == 0) {
			c[n - 5] = '\0';
			dir = xasprintf("%s/.cairn/cache", c);
			free(c);
			return dir;
		}
		free(c);
	}
	return fs_join(r->cairn_dir, "cache");
}

const struct cairn_error *repo_cache(struct cache **out, struct repo *r)
{
	const struct cairn_error *e;
	char *dir;

	if (r->cache == NULL) {
		dir = repo_cache_dir(r);
		e = cache_open(&r->cache, dir);
		/*
		 * A cache set by cache.dir may be shared: register this project
		 * as one of its users, so gc elsewhere keeps what it uses (C23).
		 * Best effort: a cache this process cannot write holds nothing
		 * it added either. (A default cache's owner needs no
		 * registration: gc finds it from the cache's own path.)
		 */
		if (e == NULL && repo_cache_configured(r)) {
			char *main = repo_main_root(r);

			(void)cacheuse_register(dir, main);
			free(main);
		}
		free(dir);
		if (e)
			return e;
	}
	*out = r->cache;
	return NULL;
}

static const struct cairn_error *repo_index(git_index **out, struct repo *r)
{
	if (git_repository_index(out, r->git) < 0)
		return err_git("read git index");
	return NULL;
}

const struct cairn_error *repo_git_tracked(bool *out, struct repo *r, const char *rel)
{
	const struct cairn_error *e;
	git_index *idx;

	if ((e = repo_index(&idx, r)) != NULL)
		return e;
	*out = git_index_get_bypath(idx, rel, 0) != NULL;
	git_index_free(idx);
	return NULL;
}

const struct cairn_error *repo_git_tracked_under(char **out, struct repo *r, const char *rel)
{
	const struct cairn_error *e;
	git_index *idx;
	size_t pos;
	char *prefix;

	*out = NULL;
	if ((e = repo_index(&idx, r)) != NULL)
		return e;
	prefix = *rel ? xasprintf("%s/", rel) : xstrdup("");
	if (git_index_find_prefix(&pos, idx, prefix) == 0) {
		const git_index_entry *ent = git_index_get_byindex(idx, pos);

		if (ent)
			*out = xstrdup(ent->path);
	}
	free(prefix);
	git_index_free(idx);
	return NULL;
}
