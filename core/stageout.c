/*
 * stageout.c: hashing, caching and restoring stage data with the same
 * pieces cairn add and checkout use (scan, digest, tree, checkout), so an
 * output recorded in cairn.lock is stored exactly like a pointer's.
 */
#include "buildconf.h"

#include "core/stageout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/checkout.h"
#include "core/digest.h"
#include "core/fsutil.h"
#include "core/ignore.h"
#include "core/lockfile.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/scan.h"
#include "core/tree.h"
#include "core/work.h"
#include "core/xmalloc.h"

const struct cairn_error *stageout_hash(struct lockfile_entry *en, struct work *w,
					const char *path, bool external, bool store)
{
	const struct cairn_error *e = NULL;
	struct digest_ctx d = w->digest;
	const char *rel = external ? path + 1 : path;
	char *dir = strchr(rel, '/') ? fs_dirname(rel) : xstrdup("");
	struct tree *t = NULL;
	struct scan_opts so;
	struct stat st;
	int rootfd = w->repo->rootfd, dfd = -1;

	memset(en, 0, sizeof(*en));
	en->path = xstrdup(path);
	if (external) {
		rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0) {
			free(dir);
			return err_errno("open '/'");
		}
		d.rootfd = rootfd;
		d.state = NULL;
	}
	d.cache = store ? w->cache : NULL;
	if (external) {
		char *absdir = xasprintf("/%s", dir);

		dfd = open(absdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(absdir);
		if (dfd < 0)
			e = errno == ENOENT ? err_new(CAIRN_ERR_NOT_FOUND, "'%s' does not exist", path)
					    : err_errno("open '%s'", path);
	} else {
		e = fs_open_dir_beneath(&dfd, rootfd, dir, false);
	}
	if (e)
		goto done;
	if (fstatat(dfd, fs_basename(rel), &st, AT_SYMLINK_NOFOLLOW) < 0) {
		e = errno == ENOENT ? err_new(CAIRN_ERR_NOT_FOUND, "'%s' does not exist", path)
				    : err_errno("stat '%s'", path);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		so.root = external ? "/" : w->repo->root;
		so.cache_dir = cache_dir(w->cache);
		so.strict = true;
		if ((e = scan_dir(&t, rootfd, rel, &so)) != NULL)
			goto done;
		if ((e = digest_tree(&d, t, rel)) != NULL)
			goto done;
		e = tree_seal(&en->id, &en->size, &en->nfiles, t, store ? w->cache : NULL);
		en->dir = true;
	} else if (S_ISREG(st.st_mode)) {
		struct tree_entry fe;

		memset(&fe, 0, sizeof(fe));
		fe.type = TREE_FILE;
		fe.st = st;
		fe.exec = (st.st_mode & S_IXUSR) != 0;
		if ((e = digest_file(&d, rel, &fe)) != NULL)
			goto done;
		en->id = fe.id;
		en->size = fe.size;
		en->exec = fe.exec;
	} else {
		e = err_new(CAIRN_ERR_USAGE, "'%s' is not a regular file or folder%s", path,
			    S_ISLNK(st.st_mode) ? " (a symlink)" : "");
		goto done;
	}
	if (e == NULL && store)
		e = cache_flush(w->cache);
done:
	if (dfd >= 0)
		close(dfd);
	if (external && rootfd >= 0)
		close(rootfd);
	tree_free(t);
	free(dir);
	return e;
}

const struct cairn_error *stageout_clear(struct work *w, const char *rel, bool force)
{
	const struct cairn_error *e;
	struct lockfile_entry en;
	char *dir;
	int dfd;

	e = stageout_hash(&en, w, rel, false, false);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		free(en.path);
		return NULL;
	}
	if (e || (!force && !cache_has(w->cache, &en.id))) {
		free(en.path);
		return NULL; /* not safe to delete: the command overwrites it */
	}
	free(en.path);
	dir = strchr(rel, '/') ? fs_dirname(rel) : xstrdup("");
	e = fs_open_dir_beneath(&dfd, w->repo->rootfd, dir, false);
	free(dir);
	if (e)
		return e;
	e = fs_remove_tree_at(dfd, fs_basename(rel));
	close(dfd);
	return e;
}

const struct cairn_error *stageout_ignore(struct work *w, const char *rel)
{
	char *dir = strchr(rel, '/') ? fs_dirname(rel) : xstrdup("");
	const struct cairn_error *e = ignore_add(w->repo->rootfd, dir, fs_basename(rel));

	free(dir);
	return e;
}

const struct cairn_error *stageout_restore(struct work *w, const struct lockfile_entry *en,
					   bool force)
{
	const struct cairn_error *e;
	struct checkout_opts co;
	struct checkout_result res;
	struct out o;

	memset(&o, 0, sizeof(o));
	memset(&co, 0, sizeof(co));
	co.force = force;
	o.ptr_rel = xstrdup(LOCKFILE_NAME);
	o.rel = xstrdup(en->path);
	o.dir = strchr(o.rel, '/') ? fs_dirname(o.rel) : xstrdup("");
	o.name = fs_basename(o.rel);
	o.ptr = ptr_new(o.name, en->dir ? PTR_DIR : PTR_FILE);
	o.ptr->id = en->id;
	o.ptr->size = en->size;
	o.ptr->nfiles = en->nfiles;
	o.ptr->exec = en->exec;
	if (*o.dir) {
		int dfd;

		if ((e = fs_open_dir_beneath(&dfd, w->repo->rootfd, o.dir, true)) != NULL) {
			out_release(&o);
			return e;
		}
		close(dfd);
	}
	e = checkout_out(&res, w, &o, &co);
	out_release(&o);
	return e;
}

static int stageout_cmp(const void *a, const void *b)
{
	return strcmp(((const struct out *)a)->rel, ((const struct out *)b)->rel);
}

const struct cairn_error *stageout_collect(struct out_list *l, struct repo *r, char **paths,
					   int n)
{
	const struct cairn_error *e;
	struct out_list locked = OUT_LIST_INIT;
	struct lockfile lk;
	char **rest = NULL;
	int i, nrest = 0;
	size_t j;

	if ((e = lockfile_load(&lk, r)) != NULL)
		return e;
	lockfile_outs(&locked, &lk);
	lockfile_release(&lk);
	if (n == 0) {
		e = out_collect_all(l, r);
		for (j = 0; e == NULL && j < locked.n; j++) {
			XGROW(l->v, l->n + 1, l->cap);
			l->v[l->n++] = locked.v[j];
			memset(&locked.v[j], 0, sizeof(locked.v[j]));
		}
		goto done;
	}
	rest = xcalloc((size_t)n, sizeof(char *));
	for (i = 0; i < n && e == NULL; i++) {
		char *rel = NULL;
		bool matched = false;

		if ((e = repo_relpath(&rel, r, paths[i])) != NULL)
			break;
		for (j = 0; j < locked.n; j++) {
			const char *o = locked.v[j].rel;
			size_t lr = strlen(rel), lo = strlen(o);
			bool inside = lr > lo && strncmp(rel, o, lo) == 0 && rel[lo] == '/';
			bool holds = *rel == '\0' ||
				     (lo > lr && strncmp(o, rel, lr) == 0 && o[lr] == '/');

			if (locked.v[j].ptr == NULL || !(strcmp(rel, o) == 0 || inside || holds))
				continue;
			matched = true;
			XGROW(l->v, l->n + 1, l->cap);
			l->v[l->n++] = locked.v[j];
			memset(&locked.v[j], 0, sizeof(locked.v[j]));
		}
		if (!matched)
			rest[nrest++] = paths[i];
		free(rel);
	}
	if (e == NULL && nrest)
		e = out_collect_args(l, r, rest, nrest);
done:
	if (e == NULL && l->n)
		qsort(l->v, l->n, sizeof(*l->v), stageout_cmp);
	free(rest);
	out_list_release(&locked);
	return e;
}

const struct cairn_error *stageout_rev_locked(struct out_list *l, struct repo *r,
					      const char *spec)
{
	const struct cairn_error *e;
	struct lockfile lk;

	if ((e = lockfile_load_rev(&lk, r, spec)) != NULL)
		return e;
	lockfile_outs(l, &lk);
	lockfile_release(&lk);
	return NULL;
}

const struct cairn_error *stageout_rev_collect(struct out_list *l, struct repo *r,
					       const char *spec)
{
	const struct cairn_error *e;

	if ((e = stageout_rev_locked(l, r, spec)) != NULL)
		return e;
	if ((e = rev_pointers(l, r, spec)) == NULL && l->n)
		qsort(l->v, l->n, sizeof(*l->v), stageout_cmp);
	return e;
}
