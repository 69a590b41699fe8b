/*
 * status.c: workspace against pointer. A folder is scanned and hashed
 * (unchanged files come from the state database), its manifests computed in
 * memory, and only when the root id differs is the recorded tree loaded to
 * list the files that differ.
 */
#include "buildconf.h"

#include "core/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/digest.h"
#include "core/fsutil.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/scan.h"
#include "core/work.h"
#include "core/xmalloc.h"

const char *status_kind_name(enum status_kind k)
{
	switch (k) {
	case STATUS_CLEAN:
		return "up to date";
	case STATUS_MODIFIED:
		return "modified";
	case STATUS_MISSING:
		return "missing";
	default:
		return "not in cache";
	}
}

const char *status_change_name(enum tree_change c)
{
	return c == TREE_ADDED ? "added" : c == TREE_DELETED ? "deleted" : "modified";
}

void status_result_release(struct status_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		free(res->changes[i].path);
	free(res->changes);
	memset(res, 0, sizeof(*res));
}

struct status_diff {
	struct status_result *res;
	const char *prefix;
};

static const struct cairn_error *status_on_change(const char *path, enum tree_change change,
						  const struct tree_entry *a,
						  const struct tree_entry *b, void *arg)
{
	struct status_diff *d = arg;
	struct status_result *res = d->res;

	(void)a;
	(void)b;
	XGROW(res->changes, res->n + 1, res->cap);
	res->changes[res->n].path = fs_join(d->prefix, path);
	res->changes[res->n].change = change;
	res->n++;
	return NULL;
}

static int status_change_cmp(const void *x, const void *y)
{
	return strcmp(((const struct status_change *)x)->path,
		      ((const struct status_change *)y)->path);
}

static bool status_tree_has_other(const struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].type == TREE_OTHER ||
		    (t->e[i].type == TREE_DIR && status_tree_has_other(t->e[i].sub)))
			return true;
	return false;
}

static const struct cairn_error *status_dir(struct status_result *res, struct work *w,
					    const struct out *o)
{
	const struct cairn_error *e;
	struct tree *ws = NULL, *rec = NULL;
	struct scan_opts so;
	struct status_diff d;
	struct oid root;
	uint64_t size, nfiles;

	so.root = w->repo->root;
	so.cache_dir = cache_dir(w->cache);
	so.strict = false;
	if ((e = scan_dir(&ws, w->repo->rootfd, o->rel, &so)) != NULL)
		return e;
	if (!status_tree_has_other(ws)) {
		if ((e = digest_tree_id(&w->digest, ws, o->rel, &root, &size, &nfiles)) != NULL)
			goto done;
		if (oid_equal(&root, &o->ptr->id)) {
			res->kind = res->in_cache ? STATUS_CLEAN : STATUS_NOT_IN_CACHE;
			goto done;
		}
	} else if ((e = digest_tree(&w->digest, ws, o->rel)) != NULL) {
		goto done;
	}
	res->kind = STATUS_MODIFIED;
	if (!res->in_cache)
		goto done; /* nothing to compare the files with */
	/* the files below unchanged folders were not looked at: they are needed now */
	if ((e = digest_tree(&w->digest, ws, o->rel)) != NULL)
		goto done;
	e = tree_load(&rec, w->cache, &o->ptr->id);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		e = NULL; /* partly in the cache: no detail */
		goto done;
	}
	if (e)
		goto done;
	d.res = res;
	d.prefix = o->rel;
	e = tree_diff(rec, ws, status_on_change, &d);
	/* the walk goes folder by folder: "d/a b" comes after "d/a/x" there */
	if (e == NULL && res->n > 1)
		qsort(res->changes, res->n, sizeof(*res->changes), status_change_cmp);
done:
	tree_free(ws);
	tree_free(rec);
	return e;
}

const struct cairn_error *status_out(struct status_result *res, struct work *w,
				     const struct out *o)
{
	const struct cairn_error *e;
	struct tree_entry fe;
	struct stat st;
	int dfd;

	memset(res, 0, sizeof(*res));
	res->in_cache = cache_has(w->cache, &o->ptr->id);
	if ((e = repo_git_tracked(&res->git_tracked, w->repo, o->rel)) != NULL)
		return e;
	e = fs_open_dir_beneath(&dfd, w->repo->rootfd, o->dir, false);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		res->kind = STATUS_MISSING; /* a stage output whose folder is gone */
		return NULL;
	}
	if (e)
		return e;
	if (fstatat(dfd, o->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		close(dfd);
		if (errno != ENOENT)
			return err_errno("stat '%s'", o->rel);
		res->kind = STATUS_MISSING;
		return NULL;
	}
	if (o->ptr->type == PTR_DIR) {
		close(dfd);
		if (!S_ISDIR(st.st_mode)) {
			res->kind = STATUS_MODIFIED;
			return NULL;
		}
		return status_dir(res, w, o);
	}
	memset(&fe, 0, sizeof(fe));
	fe.st = st;
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(dfd, o->name, target, sizeof(target) - 1);

		target[n < 0 ? 0 : n] = '\0';
		close(dfd);
		res->kind = STATUS_MODIFIED;
		if (n > 0 && scan_cache_link(&fe.id, target, cache_dir(w->cache)) &&
		    oid_equal(&fe.id, &o->ptr->id) && !o->ptr->exec)
			res->kind = res->in_cache ? STATUS_CLEAN : STATUS_NOT_IN_CACHE;
		return NULL;
	}
	close(dfd);
	if (!S_ISREG(st.st_mode)) {
		res->kind = STATUS_MODIFIED;
		return NULL;
	}
	if ((e = digest_file(&w->digest, o->rel, &fe)) != NULL)
		return e;
	if (!oid_equal(&fe.id, &o->ptr->id) || fe.exec != o->ptr->exec)
		res->kind = STATUS_MODIFIED;
	else
		res->kind = res->in_cache ? STATUS_CLEAN : STATUS_NOT_IN_CACHE;
	return NULL;
}
