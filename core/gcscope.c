/*
 * gcscope.c: gc's scopes read from Git. Each scope has its own set of Git
 * trees and pointer blobs seen (core/rev.h), so a history of many commits
 * is read once per scope, not once per commit, and the summary counts what
 * each scope names.
 */
#include "buildconf.h"

#include "core/gcscope.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/cacheuse.h"
#include "core/gcroots.h"
#include "core/hash.h"
#include "core/lockfile.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/revwalk.h"
#include "core/stageout.h"
#include "core/xmalloc.h"

bool gcscope_any(const struct gcscope_opts *o)
{
	return o->workspace || o->nrevs || o->all_branches || o->all_tags || o->all_commits ||
	       o->all_experiments;
}

struct gcscope_run {
	struct gcroots *g;
	struct repo *r;
	struct oidset seen; /* Git trees and pointer blobs of this scope met so far */
	const char *prefix;
};

/* Start the scope "<prefix><what><arg>". */
static void gcscope_begin(struct gcscope_run *s, const char *what, const char *arg)
{
	char *full = xasprintf("%s%s%s", s->prefix, what, arg ? arg : "");

	gcroots_scope(s->g, full);
	oidset_release(&s->seen);
	oidset_init(&s->seen);
	free(full);
}

/*
 * A pointer read from Git that does not parse (committed conflict markers,
 * a typo): history cannot be fixed, so instead of failing every gc, keep
 * every object its text spells out and warn.
 */
static void gcscope_bad_ptr(const char *ptr_rel, const struct cairn_error *e, const char *text,
			    size_t len, void *arg)
{
	gcroots_add_text(arg, text, len, ptr_rel, e->msg);
}

/*
 * What the text of a cairn.lock from Git records (name: where it is from),
 * the same way; a text met before in this scope (seen, by its SHA-256) is
 * skipped.
 */
static void gcscope_lockfile_text(struct gcroots *g, struct oidset *seen, const char *text,
				  size_t len, const char *name)
{
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;
	struct lockfile lk;
	struct oid key;

	hash_buf(&key, text, len);
	if (seen && !oidset_add(seen, &key))
		return;
	if ((e = lockfile_parse(&lk, text, len, name)) == NULL) {
		lockfile_outs(&l, &lk);
		gcroots_add_outs(g, &l);
	} else {
		gcroots_add_text(g, text, len, name, e->msg);
	}
	lockfile_release(&lk);
	out_list_release(&l);
}

/* Keep what one commit's pointers name (those not met before in this scope). */
static const struct cairn_error *gcscope_commit(const char *hex, const char *what, void *arg)
{
	struct gcscope_run *s = arg;
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	bool found;

	buf_init(&b);
	/* pointer files and the stage outputs the commit's cairn.lock records */
	if ((e = rev_pointers_lenient(&l, s->r, hex, &s->seen, gcscope_bad_ptr, s->g)) == NULL &&
	    (e = rev_read_file(&b, &found, s->r, hex, LOCKFILE_NAME, LOCKFILE_MAX_BYTES)) == NULL) {
		gcroots_add_outs(s->g, &l);
		if (found) {
			char *name = xasprintf("%s (at %s)", LOCKFILE_NAME, hex);

			gcscope_lockfile_text(s->g, &s->seen, b.s, b.len, name);
			free(name);
		}
	}
	buf_release(&b);
	out_list_release(&l);
	return e ? err_wrap(e, "%s", what) : NULL;
}

/* The workspace: what is on disk can be fixed, so a malformed pointer there is an error. */
static const struct cairn_error *gcscope_workspace(struct gcroots *g, struct repo *r)
{
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;

	if ((e = stageout_collect(&l, r, NULL, 0)) == NULL) /* cairn.lock's outputs too */
		gcroots_add_outs(g, &l);
	out_list_release(&l);
	return e;
}

/*
 * The index: its pointers and cairn.lock, staged (stage 0) or, during a
 * merge conflict, the base, ours and theirs versions (stages 1-3).
 */
static const struct cairn_error *gcscope_index(struct gcroots *g, struct repo *r)
{
	static const char *const names[] = { "cairn.lock (in the index)",
					     "cairn.lock (merge base in the index)",
					     "cairn.lock (ours in the index)",
					     "cairn.lock (theirs in the index)" };
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	int stage;
	bool found;

	buf_init(&b);
	if ((e = rev_index_pointers(&l, r, gcscope_bad_ptr, g)) == NULL)
		gcroots_add_outs(g, &l);
	for (stage = 0; e == NULL && stage <= 3; stage++) {
		buf_reset(&b);
		e = rev_index_read_file(&b, &found, r, LOCKFILE_NAME, stage, LOCKFILE_MAX_BYTES);
		if (e == NULL && found)
			gcscope_lockfile_text(g, NULL, b.s, b.len, names[stage]);
	}
	buf_release(&b);
	out_list_release(&l);
	return e;
}

/* Another work tree of the repository: its workspace and its index. */
static const struct cairn_error *gcscope_worktree(const char *root, const char *name, void *arg)
{
	struct gcscope_run *s = arg;
	const struct cairn_error *e;
	struct repo *other;

	(void)name;
	gcscope_begin(s, "worktree ", root);
	if ((e = repo_open_at(&other, root)) != NULL)
		return err_wrap(e, "work tree '%s'", root);
	if ((e = gcscope_workspace(s->g, other)) == NULL)
		e = gcscope_index(s->g, other);
	repo_close(other);
	return e ? err_wrap(e, "work tree '%s'", root) : NULL;
}

const struct cairn_error *gcscope_add(struct gcroots *g, struct repo *r,
				      const struct gcscope_opts *o, const char *prefix)
{
	const struct cairn_error *e = NULL;
	struct gcscope_run s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.g = g;
	s.r = r;
	s.prefix = prefix ? prefix : "";
	oidset_init(&s.seen);
	/* always: uncommitted adds are nowhere else (-w only says "nothing more") */
	gcscope_begin(&s, "workspace", NULL);
	e = gcscope_workspace(g, r);
	if (e == NULL) {
		gcscope_begin(&s, "index", NULL);
		e = gcscope_index(g, r);
	}
	if (e == NULL) {
		gcscope_begin(&s, "stash", NULL);
		e = revwalk_stash(r, gcscope_commit, &s);
	}
	if (e == NULL)
		e = revwalk_worktrees(r, gcscope_worktree, &s);
	for (i = 0; e == NULL && i < o->nrevs; i++) {
		char *what = o->num > 1 ? xasprintf("%s and %d first parents", o->revs[i], o->num - 1)
					: xstrdup(o->revs[i]);

		gcscope_begin(&s, "rev ", what);
		free(what);
		e = revwalk_first_parents(r, o->revs[i], o->num > 0 ? o->num : 1, gcscope_commit, &s);
	}
	if (e == NULL && o->all_branches) {
		gcscope_begin(&s, "branches", NULL);
		e = revwalk_refs(r, "refs/heads/", gcscope_commit, &s);
	}
	if (e == NULL && o->all_tags) {
		gcscope_begin(&s, "tags", NULL);
		e = revwalk_refs(r, "refs/tags/", gcscope_commit, &s);
	}
	if (e == NULL && o->all_experiments) {
		gcscope_begin(&s, "experiments", NULL);
		e = revwalk_refs(r, GCSCOPE_EXPS, gcscope_commit, &s);
	}
	if (e == NULL && o->all_commits) {
		gcscope_begin(&s, "all commits", NULL);
		e = revwalk_all(r, gcscope_commit, &s);
	}
	oidset_release(&s.seen);
	return e;
}

/* ---- refs whose data a gc would take away ---- */

struct gcscope_check {
	const struct gcroots *g;
	const struct cache *c;
	struct repo *r;
	struct oidset seen;
	size_t lost;
	const char *what; /* the ref being checked */
	gcscope_lost_cb cb;
	void *arg;
};

/* The ids a malformed file spells that are in the cache and not kept: lost. */
static void gcscope_check_text(struct gcscope_check *k, const char *text, size_t len,
			       const char *path)
{
	struct oidset ids = OIDSET_INIT;
	size_t i;

	oidset_add_text(&ids, text, len);
	for (i = 0; i < ids.n; i++) {
		if (gcroots_has(k->g, &ids.v[i]) || !cache_has(k->c, &ids.v[i]))
			continue;
		k->lost++;
		if (k->cb)
			k->cb(k->what, path, k->arg);
	}
	oidset_release(&ids);
}

static void gcscope_check_bad_ptr(const char *ptr_rel, const struct cairn_error *e,
				  const char *text, size_t len, void *arg)
{
	(void)e;
	gcscope_check_text(arg, text, len, ptr_rel);
}

static const struct cairn_error *gcscope_check_commit(const char *hex, const char *what,
						      void *arg)
{
	struct gcscope_check *k = arg;
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	struct lockfile lk;
	bool found;
	size_t i;

	buf_init(&b);
	memset(&lk, 0, sizeof(lk));
	k->what = what;
	if ((e = rev_pointers_lenient(&l, k->r, hex, &k->seen, gcscope_check_bad_ptr, k)) != NULL ||
	    (e = rev_read_file(&b, &found, k->r, hex, LOCKFILE_NAME, LOCKFILE_MAX_BYTES)) != NULL) {
		buf_release(&b);
		out_list_release(&l);
		return err_wrap(e, "%s", what);
	}
	if (found && lockfile_parse(&lk, b.s, b.len, LOCKFILE_NAME) == NULL)
		lockfile_outs(&l, &lk);
	else if (found)
		gcscope_check_text(k, b.s, b.len, LOCKFILE_NAME);
	lockfile_release(&lk);
	buf_release(&b);
	for (i = 0; i < l.n; i++) {
		const struct ptr *p = l.v[i].ptr;

		if (gcroots_has(k->g, &p->id) || !cache_has(k->c, &p->id))
			continue;
		k->lost++;
		if (k->cb)
			k->cb(what, l.v[i].rel, k->arg);
	}
	out_list_release(&l);
	return NULL;
}

/* HEAD of a work tree, when it names a commit. */
static const struct cairn_error *gcscope_check_head(struct gcscope_check *k, const char *label)
{
	char hex[REV_HEXLEN + 1];
	const struct cairn_error *e = rev_resolve(hex, k->r, "HEAD");

	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		return NULL; /* no commit yet */
	if (e)
		return e;
	return gcscope_check_commit(hex, label, k);
}

static const struct cairn_error *gcscope_check_tree(const char *root, const char *name,
						    void *arg)
{
	struct gcscope_check *k = arg;
	const struct cairn_error *e;
	struct repo *self = k->r, *other;
	char *label;

	(void)name;
	if ((e = repo_open_at(&other, root)) != NULL)
		return err_wrap(e, "work tree '%s'", root);
	label = xasprintf("HEAD of %s", root);
	k->r = other;
	e = gcscope_check_head(k, label);
	k->r = self;
	free(label);
	repo_close(other);
	return e;
}

const struct cairn_error *gcscope_check_refs(size_t *lost, struct repo *r,
					     const struct gcroots *g, gcscope_lost_cb cb,
					     void *arg)
{
	const struct cairn_error *e;
	struct gcscope_check k;
	struct cache *c;

	*lost = 0;
	if ((e = repo_cache(&c, r)) != NULL)
		return e;
	memset(&k, 0, sizeof(k));
	k.g = g;
	k.c = c;
	k.r = r;
	k.cb = cb;
	k.arg = arg;
	oidset_init(&k.seen);
	e = gcscope_check_head(&k, "HEAD");
	if (e == NULL)
		e = revwalk_refs(r, "refs/heads/", gcscope_check_commit, &k);
	if (e == NULL)
		e = revwalk_refs(r, "refs/tags/", gcscope_check_commit, &k);
	if (e == NULL)
		e = revwalk_worktrees(r, gcscope_check_tree, &k);
	oidset_release(&k.seen);
	*lost = k.lost;
	return e;
}

/* ---- other projects on the same cache ---- */

struct gcscope_proj {
	struct repo *r;
	char *main;      /* r's main work tree */
	char *cache_dir; /* real path of r's cache */
	gcscope_project_cb cb;
	void *arg;
};

static char *gcscope_real(const char *path)
{
	char *real = realpath(path, NULL);

	return real ? real : xstrdup(path);
}

static const struct cairn_error *gcscope_project(const char *root, const char *file, void *arg)
{
	struct gcscope_proj *p = arg;
	const struct cairn_error *e;
	struct repo *other;
	struct stat st;
	char *dir, *real;
	bool same;

	if (strcmp(root, p->main) == 0)
		return NULL;
	if (stat(root, &st) < 0 && errno == ENOENT)
		return err_hint(err_new(CAIRN_ERR_NOT_FOUND,
					"the project '%s' that shares the cache is gone", root),
				"what it used cannot be known; if it is gone for good, remove its "
				"registration: rm '%s'", file);
	if ((e = repo_open_at(&other, root)) != NULL)
		return err_wrap(e, "the project '%s' that shares the cache", root);
	dir = repo_cache_dir(other);
	real = gcscope_real(dir);
	same = other->initialised && strcmp(real, p->cache_dir) == 0;
	free(real);
	free(dir);
	if (!same) /* it uses another cache now */
		e = cacheuse_forget(p->cache_dir, root);
	else
		e = p->cb(other, p->arg);
	repo_close(other);
	return e;
}

const struct cairn_error *gcscope_projects(struct repo *r, gcscope_project_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct gcscope_proj p;
	char *dir = repo_cache_dir(r);
	size_t n;

	memset(&p, 0, sizeof(p));
	p.r = r;
	p.main = repo_main_root(r);
	p.cache_dir = gcscope_real(dir);
	p.cb = cb;
	p.arg = arg;
	e = cacheuse_list(p.cache_dir, gcscope_project, &p);
	/* the project a default cache belongs to (<root>/.cairn/cache) uses it too */
	n = strlen(p.cache_dir);
	if (e == NULL && n > 13 && strcmp(p.cache_dir + n - 13, "/.cairn/cache") == 0) {
		char *owner = xstrndup(p.cache_dir, n - 13);

		e = gcscope_project(owner, p.cache_dir, &p);
		free(owner);
	}
	free(p.cache_dir);
	free(p.main);
	free(dir);
	return e;
}
