/*
 * checkout.c: plan, check, then apply. The plan is the difference between
 * the recorded tree (validated by tree_load) and a scan of the workspace;
 * each difference is safe (the workspace content is in the cache or is
 * nothing) or would lose data. Only when every object is present and no
 * difference would lose data (or --force) is anything written.
 */
#include "buildconf.h"

#include "core/checkout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/cachewalk.h"
#include "core/digest.h"
#include "core/fsutil.h"
#include "core/link.h"
#include "core/out.h"
#include "core/place.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/scan.h"
#include "core/state.h"
#include "core/tree.h"
#include "core/work.h"
#include "core/xmalloc.h"

#define CHECKOUT_LIST_MAX 5 /* paths named in one error */

struct checkout_run {
	struct work *w;
	const struct out *o;
	const char *prefix; /* what paths from tree walks and diffs are relative to */
	const struct checkout_opts *opts;
	struct checkout_result *res;
	struct buf unsafe;  /* paths that would lose data */
	size_t nunsafe;
	struct buf missing; /* paths whose objects are not in the cache */
	size_t nmissing;
	bool bad;           /* an object has the wrong size: bad_copy says why */
	struct err_copy bad_copy;
	uint64_t total;     /* files to place */
	uint64_t done;
	struct buf path;    /* current path, relative to the root */
	struct place_queue *queue; /* files to write, placed on all cores after the walk */
	struct oid *ids;    /* the recorded tree's file objects, in walk order */
	size_t capids;
	int64_t *sizes;     /* their sizes in the cache, -1 when absent */
	size_t checked;     /* files checked so far */
};

static void checkout_note(struct buf *b, size_t *n, const char *path, const char *why)
{
	if (*n < CHECKOUT_LIST_MAX)
		buf_addf(b, "%s'%s'%s%s%s", *n ? ", " : "", path, why ? " (" : "", why ? why : "",
			 why ? ")" : "");
	(*n)++;
}

/* Is losing this workspace entry safe: its content is in the cache, or it holds nothing? */
static bool checkout_entry_safe(struct checkout_run *run, const struct tree_entry *b)
{
	if (b->type == TREE_FILE)
		return b->cache_link || (b->known && cache_has(run->w->cache, &b->id));
	if (b->type == TREE_DIR)
		return b->sub == NULL || b->sub->n == 0;
	return false; /* symlinks and special files hold user data cairn does not have */
}

static const struct cairn_error *checkout_classify(const char *path, enum tree_change change,
						   const struct tree_entry *a,
						   const struct tree_entry *b, void *arg)
{
	struct checkout_run *run = arg;
	char *full = fs_join(run->prefix, path);

	if (change == TREE_ADDED && !checkout_entry_safe(run, b))
		checkout_note(&run->unsafe, &run->nunsafe, full, "not tracked");
	else if (change == TREE_MODIFIED && b->type != TREE_DIR) {
		bool exec_only = a->type == TREE_FILE && b->type == TREE_FILE && b->known &&
				 oid_equal(&a->id, &b->id);

		if (!exec_only && !checkout_entry_safe(run, b))
			checkout_note(&run->unsafe, &run->nunsafe, full, "modified");
	}
	free(full);
	return NULL;
}

/* First pass: count the files and gather their ids (their sizes come next, in parallel). */
static const struct cairn_error *checkout_count(const char *path, struct tree_entry *e, void *arg)
{
	struct checkout_run *run = arg;

	(void)path;
	XGROW(run->ids, run->total + 1, run->capids);
	run->ids[run->total++] = e->id;
	return NULL;
}

/* Second pass, in the same order: name what is missing, and check each object's size. */
static const struct cairn_error *checkout_check(const char *path, struct tree_entry *e, void *arg)
{
	struct checkout_run *run = arg;
	int64_t size = run->sizes[run->checked++];

	if (size >= 0) {
		const struct cairn_error *err;

		if ((uint64_t)size == e->size || run->bad)
			return NULL;
		/* corrupt, or the manifest lies: the hash decides, before anything is written */
		err = cache_verify(run->w->cache, &e->id);
		if (err_is(err, CAIRN_ERR_CORRUPT))
			err = cache_quarantine(run->w->cache, &e->id, err);
		else if (err == NULL)
			err = err_new(CAIRN_ERR_FORMAT, "object %s has %llu bytes, but %llu are recorded",
				      oid_hex(&e->id), (unsigned long long)size,
				      (unsigned long long)e->size);
		err_save(&run->bad_copy, err_wrap(err, "'%s/%s'", run->prefix, path));
		run->bad = true;
	} else {
		char *full = fs_join(run->prefix, path);
		char why[80];

		snprintf(why, sizeof(why), "object %.12s", oid_hex(&e->id));
		checkout_note(&run->missing, &run->nmissing, full, why);
		free(full);
	}
	return NULL;
}

static void checkout_progress(struct checkout_run *run)
{
	if (run->opts->progress)
		run->opts->progress(run->done, run->total, run->opts->progress_arg);
}

/* Queue the file at run->path (name in its folder) for placing after the walk. */
static const struct cairn_error *checkout_put_file(struct checkout_run *run, const char *name,
						   const struct tree_entry *e)
{
	size_t dirlen = run->path.len > strlen(name) ? run->path.len - strlen(name) - 1 : 0;
	char *dir = xstrndup(run->path.s, dirlen);

	place_add(run->queue, dir, name, &e->id, e->size, e->exec);
	free(dir);
	return NULL;
}

static void checkout_on_placed(uint64_t placed, uint64_t queued, void *arg)
{
	struct checkout_run *run = arg;

	(void)queued;
	if (run->opts->progress)
		run->opts->progress(run->done + placed, run->total, run->opts->progress_arg);
}

static const struct cairn_error *checkout_put_link(struct checkout_run *run, int dirfd,
						   const char *name, const char *target)
{
	char tmp[64];

	link_tmpname(tmp);
	if (symlinkat(target, run->w->tmpfd, tmp) < 0)
		return err_errno("create symlink '%s'", run->path.s);
	if (renameat(run->w->tmpfd, tmp, dirfd, name) < 0) {
		const struct cairn_error *e = err_errno("replace '%s'", run->path.s);

		unlinkat(run->w->tmpfd, tmp, 0);
		return e;
	}
	run->res->written++;
	return NULL;
}

/* Remove a workspace entry that is in the way (checked safe or forced). */
static const struct cairn_error *checkout_remove(struct checkout_run *run, int dirfd,
						 const char *name)
{
	const struct cairn_error *e = fs_remove_tree_at(dirfd, name);

	if (e)
		return err_wrap(e, "'%s'", run->path.s);
	run->res->removed++;
	return NULL;
}

static bool checkout_file_ok(const struct checkout_run *run, const struct tree_entry *a,
			     const struct tree_entry *b)
{
	return b && b->type == TREE_FILE && b->known && oid_equal(&a->id, &b->id) &&
	       !run->opts->relink;
}

static const struct cairn_error *checkout_apply_dir(struct checkout_run *run, int dirfd,
						    const struct tree *rec, const struct tree *ws);

/* Make dirfd/name match the recorded entry a, given what the workspace holds (b). */
static const struct cairn_error *checkout_apply_entry(struct checkout_run *run, int dirfd,
						      const char *name,
						      const struct tree_entry *a,
						      const struct tree_entry *b)
{
	const struct cairn_error *e = NULL;

	switch (a->type) {
	case TREE_FILE:
		if (checkout_file_ok(run, a, b)) {
			if (b->exec != a->exec && !b->cache_link) {
				mode_t m = b->st.st_mode & 07777;

				m = a->exec ? m | ((m & 0444) >> 2) : m & ~0111u;
				if (fchmodat(dirfd, name, m, 0) < 0)
					return err_errno("chmod '%s'", run->path.s);
				run->res->written++;
			}
			run->done++;
			return NULL;
		}
		if (b && b->type == TREE_DIR && (e = checkout_remove(run, dirfd, name)) != NULL)
			return e;
		return checkout_put_file(run, name, a);
	case TREE_SYMLINK:
		if (b && b->type == TREE_SYMLINK && strcmp(a->target, b->target) == 0)
			return NULL;
		if (b && b->type == TREE_DIR && (e = checkout_remove(run, dirfd, name)) != NULL)
			return e;
		return checkout_put_link(run, dirfd, name, a->target);
	case TREE_DIR: {
		int sub;

		if (b && b->type != TREE_DIR && (e = checkout_remove(run, dirfd, name)) != NULL)
			return e;
		if (b == NULL || b->type != TREE_DIR) {
			if (mkdirat(dirfd, name, 0777) < 0 && errno != EEXIST)
				return err_errno("mkdir '%s'", run->path.s);
			run->res->written++;
		}
		sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return err_errno("open folder '%s'", run->path.s);
		e = checkout_apply_dir(run, sub, a->sub, b && b->type == TREE_DIR ? b->sub : NULL);
		close(sub);
		return e;
	}
	default:
		return NULL;
	}
}

static const struct cairn_error *checkout_apply_dir(struct checkout_run *run, int dirfd,
						    const struct tree *rec, const struct tree *ws)
{
	const struct cairn_error *e = NULL;
	size_t base = run->path.len, i;

	for (i = 0; i < rec->n && e == NULL; i++) {
		const struct tree_entry *a = &rec->e[i];

		run->path.len = base;
		buf_addch(&run->path, '/');
		buf_adds(&run->path, a->name);
		e = checkout_apply_entry(run, dirfd, a->name, a, tree_find(ws, a->name));
	}
	for (i = 0; ws && i < ws->n && e == NULL; i++) {
		if (tree_find(rec, ws->e[i].name))
			continue;
		run->path.len = base;
		buf_addch(&run->path, '/');
		buf_adds(&run->path, ws->e[i].name);
		e = checkout_remove(run, dirfd, ws->e[i].name);
	}
	run->path.len = base;
	run->path.s[base] = '\0';
	return e;
}

/* The workspace side of the output as one tree entry (NULL when absent). */
static const struct cairn_error *checkout_scan(struct tree_entry **out, struct checkout_run *run,
					       int dfd)
{
	const struct cairn_error *e;
	struct work *w = run->w;
	const struct out *o = run->o;
	struct tree_entry *b;
	struct scan_opts so;
	struct stat st;

	*out = NULL;
	if (fstatat(dfd, o->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return NULL;
		return err_errno("stat '%s'", o->rel);
	}
	b = xcalloc(1, sizeof(*b));
	b->name = xstrdup(o->name);
	b->st = st;
	*out = b;
	if (S_ISDIR(st.st_mode)) {
		b->type = TREE_DIR;
		so.root = w->repo->root;
		so.cache_dir = cache_dir(w->cache);
		so.strict = false;
		if ((e = scan_dir(&b->sub, w->repo->rootfd, o->rel, &so)) != NULL)
			return e;
		return digest_tree(&w->digest, b->sub, o->rel);
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(dfd, o->name, target, sizeof(target) - 1);

		target[n < 0 ? 0 : n] = '\0';
		b->type = TREE_SYMLINK;
		b->target = xstrdup(target);
		if (n > 0 && scan_cache_link(&b->id, target, cache_dir(w->cache))) {
			b->type = TREE_FILE;
			b->known = b->cache_link = true;
		}
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		b->type = TREE_OTHER;
		return NULL;
	}
	b->type = TREE_FILE;
	return digest_file(&w->digest, o->rel, b);
}

static void checkout_entry_free(struct tree_entry *b)
{
	if (b == NULL)
		return;
	free(b->name);
	free(b->target);
	tree_free(b->sub);
	free(b);
}

const struct cairn_error *checkout_out(struct checkout_result *res, struct work *w,
				       const struct out *o, const struct checkout_opts *opts)
{
	const struct cairn_error *e = NULL;
	struct checkout_run run;
	struct tree_entry *b = NULL, a;
	struct tree *rec = NULL;
	struct tree ra, rb;
	int dfd = -1;

	memset(res, 0, sizeof(*res));
	memset(&run, 0, sizeof(run));
	memset(&a, 0, sizeof(a));
	run.w = w;
	run.o = o;
	run.opts = opts;
	run.res = res;
	buf_init(&run.unsafe);
	buf_init(&run.missing);
	buf_init(&run.path);
	buf_adds(&run.path, o->rel);
	run.queue = place_new();

	/* 1. the recorded side, validated, and every object present */
	a.name = (char *)o->name;
	a.id = o->ptr->id;
	a.known = true;
	a.size = o->ptr->size;
	a.exec = o->ptr->exec;
	if (o->ptr->type == PTR_DIR) {
		a.type = TREE_DIR;
		e = tree_load(&rec, w->cache, &o->ptr->id);
		if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
			e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "'%s' is not in the cache (%s)",
					     o->rel, e->msg),
				     "run 'cairn pull' to fetch it from a remote");
			goto done;
		}
		if (e) {
			e = err_wrap(e, "'%s'", o->rel);
			goto done;
		}
		a.sub = rec;
		run.prefix = o->rel;
		tree_walk_files(rec, checkout_count, &run);
		/* one stat per object, on all cores, then the checks in order */
		run.sizes = xcalloc(run.total ? run.total : 1, sizeof(*run.sizes));
		if ((e = cachewalk_sizes(run.sizes, w->cache, run.ids, run.total,
					 w->digest.jobs)) != NULL)
			goto done;
		tree_walk_files(rec, checkout_check, &run);
		if (run.bad) {
			e = err_load(&run.bad_copy);
			goto done;
		}
	} else {
		a.type = TREE_FILE;
		run.total = 1;
		if (!cache_has(w->cache, &o->ptr->id))
			checkout_note(&run.missing, &run.nmissing, o->rel, NULL);
	}
	if (run.nmissing) {
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "not in the cache: %s%s", run.missing.s,
				     run.nmissing > CHECKOUT_LIST_MAX ? " and more" : ""),
			     "run 'cairn pull' to fetch the data from a remote");
		goto done;
	}

	/* 2. the workspace side, and what would be lost; the folder of a stage
	 * output may be gone (rm -rf models, a clone without its .gitignore) */
	if ((e = fs_open_dir_beneath(&dfd, w->repo->rootfd, o->dir, true)) != NULL)
		goto done;
	if ((e = checkout_scan(&b, &run, dfd)) != NULL)
		goto done;
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	ra.e = &a;
	ra.n = 1;
	if (b) {
		rb.e = b;
		rb.n = 1;
	}
	run.prefix = o->dir; /* the diff's paths start with the output's name */
	if ((e = tree_diff(&ra, &rb, checkout_classify, &run)) != NULL)
		goto done;
	if (run.nunsafe && !opts->force) {
		if (opts->unsafe)
			buf_addf(opts->unsafe, "%s%s", run.unsafe.s,
				 run.nunsafe > CHECKOUT_LIST_MAX ? " and more" : "");
		e = err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				     "checkout would overwrite or delete data that is not in the cache: "
				     "%s%s",
				     run.unsafe.s,
				     run.nunsafe > CHECKOUT_LIST_MAX ? " and more" : ""),
			     "save it with 'cairn add' or 'cairn commit' first, or use --force to "
			     "discard it");
		goto done;
	}

	/* 3. apply */
	run.path.len = 0;
	buf_adds(&run.path, o->rel);
	e = checkout_apply_entry(&run, dfd, o->name, &a, b);
	if (e == NULL) {
		uint64_t placed;

		e = place_run(&placed, run.queue, w, checkout_on_placed, &run);
		run.res->written += placed;
		run.done += placed;
	}
	checkout_progress(&run);
done:
	if (dfd >= 0)
		close(dfd);
	checkout_entry_free(b);
	tree_free(rec);
	buf_release(&run.unsafe);
	buf_release(&run.missing);
	buf_release(&run.path);
	place_free(run.queue);
	free(run.ids);
	free(run.sizes);
	return e;
}
