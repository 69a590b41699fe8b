/*
 * repro.c: the engine. A stage is decided when everything it depends on is
 * done: its current inputs are hashed (the "current run"), compared with its
 * record in cairn.lock, and then it is skipped, restored from the run cache,
 * or its command is started. Commands are child processes, so stages run in
 * parallel without threads; everything else (hashing, caching, the lock)
 * happens on this thread as each child ends.
 */
#include "buildconf.h"

#include "core/repro.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/cache.h"
#include "core/dag.h"
#include "core/docker.h"
#include "core/fsutil.h"
#include "core/lockfile.h"
#include "core/out.h"
#include "core/params.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/runcache.h"
#include "core/runner.h"
#include "core/stage.h"
#include "core/stageout.h"
#include "core/work.h"
#include "core/xmalloc.h"
#include "core/yjson.h"

#define REPRO_RUNNING_DIR "running"

struct repro_why {
	char **v;
	size_t n, cap;
};

static void repro_why_add(struct repro_why *w, const char *fmt, ...) CAIRN_PRINTF(2, 3);
static void repro_why_add(struct repro_why *w, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	XGROW(w->v, w->n + 1, w->cap);
	w->v[w->n++] = s;
}

static void repro_why_release(struct repro_why *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

static char *repro_why_join(const struct repro_why *w)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < w->n; i++)
		buf_addf(&b, "%s%s", i ? "; " : "", w->v[i]);
	return buf_detach(&b);
}

struct repro_ctx {
	struct work *w;
	struct pipeline p;
	struct dag d;
	struct lockfile lk;
	json_t *pdocs; /* params file -> parsed document */
	char head[REV_HEXLEN + 1];
	bool has_head, dirty;
};

static void repro_close(struct repro_ctx *c)
{
	dag_release(&c->d);
	pipeline_release(&c->p);
	lockfile_release(&c->lk);
	json_decref(c->pdocs);
}

static const struct cairn_error *repro_open(struct repro_ctx *c, struct work *w)
{
	const struct cairn_error *e;

	memset(c, 0, sizeof(*c));
	c->w = w;
	c->pdocs = json_object();
	if ((e = pipeline_load(&c->p, w->repo)) != NULL)
		return e;
	if ((e = dag_build(&c->d, &c->p)) != NULL)
		return err_wrap(e, "%s", STAGE_FILE);
	return lockfile_load(&c->lk, w->repo);
}

/* HEAD and whether tracked files differ from it, for the record. */
static void repro_git_state(struct repro_ctx *c)
{
	git_status_options so;
	git_status_list *sl = NULL;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	c->has_head = rev_resolve(c->head, c->w->repo, "HEAD") == NULL;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&sl, c->w->repo->git, &so) == 0) {
		c->dirty = git_status_list_entrycount(sl) > 0;
		git_status_list_free(sl);
	}
}

/* The params of s as {file: {key: value}}; a missing file or key is a reason (why) or an error. */
static const struct cairn_error *repro_params(json_t **out, struct repro_ctx *c,
					      const struct stage *s, struct repro_why *why)
{
	const struct cairn_error *e;
	size_t i;

	*out = json_object();
	for (i = 0; i < s->nparams; i++) {
		const struct stage_param *pa = &s->params[i];
		json_t *doc = json_object_get(c->pdocs, pa->file), *vals, *v;

		if (doc == NULL) {
			char *path = fs_join(c->w->repo->root, pa->file);

			e = params_load(&doc, path, pa->file);
			free(path);
			if (e && why && err_is(e, CAIRN_ERR_NOT_FOUND)) {
				repro_why_add(why, "params file missing: %s", pa->file);
				continue;
			}
			if (e)
				return err_wrap(e, "stage '%s'", s->name);
			json_object_set_new(c->pdocs, pa->file, doc);
		}
		vals = json_object_get(*out, pa->file);
		if (vals == NULL) {
			vals = json_object();
			json_object_set_new(*out, pa->file, vals);
		}
		if (pa->key == NULL) {
			json_t *flat = params_flatten(doc);

			json_object_update(vals, flat);
			json_decref(flat);
			continue;
		}
		v = params_get(doc, pa->key);
		if (v == NULL) {
			if (why) {
				repro_why_add(why, "param missing: %s:%s", pa->file, pa->key);
				continue;
			}
			return err_new(CAIRN_ERR_NOT_FOUND, "param '%s' of stage '%s' is not in '%s'",
				       pa->key, s->name, pa->file);
		}
		json_object_set(vals, pa->key, v);
	}
	return NULL;
}

/*
 * The current run of s: command, dependency ids, param values and image
 * digest. With why, what cannot be known becomes a reason; else an error.
 */
static const struct cairn_error *repro_current(struct lockfile_stage *cur, struct repro_ctx *c,
					       const struct stage *s, struct repro_why *why)
{
	const struct cairn_error *e;
	size_t i;

	memset(cur, 0, sizeof(*cur));
	cur->name = xstrdup(s->name);
	cur->cmd = xcalloc(s->ncmd, sizeof(char *));
	for (i = 0; i < s->ncmd; i++)
		cur->cmd[cur->ncmd++] = xstrdup(s->cmd[i]);
	cur->deps = xcalloc(s->ndeps ? s->ndeps : 1, sizeof(*cur->deps));
	for (i = 0; i < s->ndeps; i++) {
		e = stageout_hash(&cur->deps[cur->ndeps], c->w, s->deps[i].rel, s->deps[i].external,
				  false);
		if (e == NULL) {
			cur->ndeps++;
			continue;
		}
		free(cur->deps[cur->ndeps].path);
		if (why && err_is(e, CAIRN_ERR_NOT_FOUND)) {
			repro_why_add(why, "dependency missing: %s", s->deps[i].rel);
			continue;
		}
		return err_wrap(e, "dependency of stage '%s'", s->name);
	}
	if ((e = repro_params(&cur->params, c, s, why)) != NULL)
		return e;
	if (s->image && (e = docker_resolve(&cur->image, s->image)) != NULL) {
		if (why == NULL)
			return err_wrap(e, "stage '%s'", s->name);
		repro_why_add(why, "image not resolved: %s", e->msg);
	}
	return NULL;
}

static const struct lockfile_entry *repro_entry(const struct lockfile_entry *v, size_t n,
						const char *path)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		if (strcmp(v[i].path, path) == 0)
			return &v[i];
	return NULL;
}

static bool repro_entry_same(const struct lockfile_entry *a, const struct lockfile_entry *b)
{
	return oid_equal(&a->id, &b->id) && a->dir == b->dir && (a->dir || a->exec == b->exec);
}

/* Outputs (or metrics) against the record. */
static const struct cairn_error *repro_compare_outs(struct repro_why *why, struct repro_ctx *c,
						    const struct stage_path *decl, size_t n,
						    const struct lockfile_entry *rec, size_t nrec,
						    const char *what)
{
	const struct cairn_error *e;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lockfile_entry *r = repro_entry(rec, nrec, decl[i].rel);
		struct lockfile_entry now;

		if (r == NULL) {
			repro_why_add(why, "%s added: %s", what, decl[i].rel);
			continue;
		}
		e = stageout_hash(&now, c->w, decl[i].rel, false, false);
		free(now.path);
		if (err_is(e, CAIRN_ERR_NOT_FOUND))
			repro_why_add(why, "%s missing: %s", what, decl[i].rel);
		else if (e)
			return e;
		else if (!repro_entry_same(&now, r))
			repro_why_add(why, "%s modified: %s", what, decl[i].rel);
	}
	for (i = 0; i < nrec; i++) {
		size_t k;

		for (k = 0; k < n && strcmp(decl[k].rel, rec[i].path) != 0; k++)
			;
		if (k == n)
			repro_why_add(why, "%s removed: %s", what, rec[i].path);
	}
	return NULL;
}

static void repro_compare_params(struct repro_why *why, json_t *cur, json_t *rec)
{
	const char *file, *key;
	json_t *vals, *v;

	json_object_foreach(cur, file, vals) {
		json_t *rvals = rec ? json_object_get(rec, file) : NULL;

		json_object_foreach(vals, key, v) {
			json_t *old = rvals ? json_object_get(rvals, key) : NULL;
			char *a, *b;

			if (old && json_equal(old, v))
				continue;
			a = yjson_text(old);
			b = yjson_text(v);
			if (old)
				repro_why_add(why, "param changed: %s:%s (%s -> %s)", file, key, a, b);
			else
				repro_why_add(why, "param added: %s:%s", file, key);
			free(a);
			free(b);
		}
	}
	json_object_foreach(rec, file, vals) {
		json_t *cvals = json_object_get(cur, file);

		json_object_foreach(vals, key, v)
			if (cvals == NULL || json_object_get(cvals, key) == NULL)
				repro_why_add(why, "param removed: %s:%s", file, key);
	}
}

static const struct cairn_error *repro_compare(struct repro_why *why, struct repro_ctx *c,
					       const struct stage *s,
					       const struct lockfile_stage *cur,
					       const struct lockfile_stage *rec)
{
	const struct cairn_error *e;
	size_t i;

	if (rec == NULL) {
		repro_why_add(why, "never run");
		return NULL;
	}
	if (s->always_changed)
		repro_why_add(why, "always changed");
	if (cur->ncmd != rec->ncmd)
		repro_why_add(why, "command changed");
	else
		for (i = 0; i < cur->ncmd; i++)
			if (strcmp(cur->cmd[i], rec->cmd[i]) != 0) {
				repro_why_add(why, "command changed");
				break;
			}
	for (i = 0; i < cur->ndeps; i++) {
		const struct lockfile_entry *r = repro_entry(rec->deps, rec->ndeps, cur->deps[i].path);

		if (r == NULL)
			repro_why_add(why, "dependency added: %s", cur->deps[i].path);
		else if (!repro_entry_same(&cur->deps[i], r))
			repro_why_add(why, "dependency modified: %s", cur->deps[i].path);
	}
	for (i = 0; i < rec->ndeps; i++) {
		size_t k;

		for (k = 0; k < s->ndeps && strcmp(s->deps[k].rel, rec->deps[i].path) != 0; k++)
			;
		if (k == s->ndeps)
			repro_why_add(why, "dependency removed: %s", rec->deps[i].path);
	}
	repro_compare_params(why, cur->params, rec->params);
	if ((cur->image || rec->image) &&
	    (!cur->image || !rec->image || strcmp(cur->image, rec->image) != 0))
		repro_why_add(why, "image changed: %s -> %s", rec->image ? rec->image : "none",
			      cur->image ? cur->image : "none");
	if ((e = repro_compare_outs(why, c, s->outs, s->nouts, rec->outs, rec->nouts, "output")))
		return e;
	return repro_compare_outs(why, c, s->metrics, s->nmetrics, rec->metrics, rec->nmetrics,
				  "metric");
}

/* ---- status ---- */

void repro_report_release(struct repro_report *rep)
{
	size_t i, j;

	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].name);
		for (j = 0; j < rep->v[i].nwhy; j++)
			free(rep->v[i].why[j]);
		free(rep->v[i].why);
	}
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}

const struct cairn_error *repro_status(struct repro_report *rep, struct work *w,
				       par_cancel_cb cancel, void *cancel_arg)
{
	const struct cairn_error *e;
	struct repro_ctx c;
	size_t k, j;

	memset(rep, 0, sizeof(*rep));
	if ((e = repro_open(&c, w)) != NULL) {
		repro_close(&c);
		return e;
	}
	rep->has_pipeline = c.p.exists;
	rep->v = xcalloc(c.p.n ? c.p.n : 1, sizeof(*rep->v));
	for (k = 0; k < c.d.n && e == NULL; k++) {
		size_t i = c.d.order[k];
		const struct stage *s = &c.p.v[i];
		struct repro_state *st = &rep->v[rep->n++];
		struct repro_why why = { 0 };
		struct lockfile_stage cur;

		st->name = xstrdup(s->name);
		st->always = s->always_changed;
		if (cancel && (e = cancel(cancel_arg)) != NULL)
			break;
		if (s->frozen) {
			st->frozen = true;
			continue;
		}
		for (j = 0; j < c.d.up[i].n; j++) {
			size_t u, kk;

			for (kk = 0; kk < rep->n; kk++)
				if (strcmp(rep->v[kk].name, c.p.v[c.d.up[i].v[j]].name) == 0)
					break;
			u = kk;
			if (u < rep->n && rep->v[u].stale)
				repro_why_add(&why, "upstream stage '%s' is stale", rep->v[u].name);
		}
		e = repro_current(&cur, &c, s, &why);
		if (e == NULL)
			e = repro_compare(&why, &c, s, &cur, lockfile_find(&c.lk, s->name));
		lockfile_stage_release(&cur);
		st->why = why.v;
		st->nwhy = why.n;
		st->stale = why.n > 0;
	}
	repro_close(&c);
	if (e)
		repro_report_release(rep);
	return e;
}

/* ---- running ---- */

enum { ST_PENDING, ST_RUNNING, ST_DONE, ST_FAILED };

struct repro_run {
	struct repro_ctx c;
	const struct repro_opts *o;
	bool *sel;
	int *state;
	bool *ran;                  /* ran, restored, or would run (dry run) */
	pid_t *pids;                /* per stage while running */
	struct lockfile_stage *cur; /* per stage while running */
	size_t nrunning;
	struct err_copy failure;
	bool failed;
};

static void repro_event(struct repro_run *r, enum repro_event ev, const char *stage,
			const char *detail)
{
	if (r->o->event)
		r->o->event(ev, stage, detail, r->o->event_arg);
}

/* Refuse, before anything runs, what cannot work. */
static const struct cairn_error *repro_preflight(struct repro_run *r)
{
	const struct cairn_error *e;
	struct repo *repo = r->c.w->repo;
	size_t i, j;

	for (i = 0; i < r->c.p.n; i++) {
		const struct stage *s = &r->c.p.v[i];

		if (!r->sel[i] || s->frozen)
			continue;
		if (*s->wdir) {
			int dfd;

			e = fs_open_dir_beneath(&dfd, repo->rootfd, s->wdir, false);
			if (e == NULL)
				close(dfd);
			else if (!err_is(e, CAIRN_ERR_NOT_FOUND)) /* an earlier stage may make it */
				return err_wrap(e, "working folder of stage '%s'", s->name);
		}
		for (j = 0; j < s->ndeps; j++) {
			struct stat st;
			bool there = s->deps[j].external
					     ? lstat(s->deps[j].rel, &st) == 0
					     : fstatat(repo->rootfd, s->deps[j].rel, &st,
						       AT_SYMLINK_NOFOLLOW) == 0;

			if (there)
				continue;
			if (s->deps[j].external)
				return err_new(CAIRN_ERR_NOT_FOUND,
					       "external dependency '%s' of stage '%s' does not exist",
					       s->deps[j].rel, s->name);
			if (dag_producer(&r->c.d, s->deps[j].rel) < 0)
				return err_new(CAIRN_ERR_NOT_FOUND,
					       "dependency '%s' of stage '%s' does not exist and no "
					       "stage produces it",
					       s->deps[j].rel, s->name);
		}
		for (j = 0; j < s->nouts + s->nmetrics; j++) {
			const char *o = j < s->nouts ? s->outs[j].rel : s->metrics[j - s->nouts].rel;
			char *ptr = xasprintf("%s.cairn", o), *above = NULL;
			struct stat st;
			bool tracked = false;

			if (fstatat(repo->rootfd, ptr, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				e = err_hint(err_new(CAIRN_ERR_USAGE,
						     "output '%s' of stage '%s' is also tracked by '%s'",
						     o, s->name, ptr),
					     "a stage output is recorded in cairn.lock; remove the "
					     "pointer file");
				free(ptr);
				return e;
			}
			free(ptr);
			if ((e = out_tracked_above(&above, repo, o)) != NULL)
				return e;
			if (above) {
				e = err_new(CAIRN_ERR_USAGE,
					    "output '%s' of stage '%s' is inside tracked '%s'", o,
					    s->name, above);
				free(above);
				return e;
			}
			if (j < s->nouts && (e = repo_git_tracked(&tracked, repo, o)) != NULL)
				return e;
			if (tracked)
				return err_hint(err_new(CAIRN_ERR_USAGE,
							"output '%s' of stage '%s' is tracked by git",
							o, s->name),
						"stop tracking it in git first: git rm --cached '%s'",
						o);
		}
	}
	return NULL;
}

static bool repro_same_entries(const struct lockfile_entry *a, size_t na,
			       const struct lockfile_entry *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		const struct lockfile_entry *o = repro_entry(b, nb, a[i].path);

		if (o == NULL || !repro_entry_same(&a[i], o) || o->size != a[i].size)
			return false;
	}
	return true;
}

/* Did this run use and make exactly what the record says? */
static bool repro_same_run(const struct lockfile_stage *cur, const struct lockfile_stage *rec)
{
	size_t i;

	if (cur->ncmd != rec->ncmd)
		return false;
	for (i = 0; i < cur->ncmd; i++)
		if (strcmp(cur->cmd[i], rec->cmd[i]) != 0)
			return false;
	if ((cur->image == NULL) != (rec->image == NULL) ||
	    (cur->image && strcmp(cur->image, rec->image) != 0))
		return false;
	return json_equal(cur->params, rec->params) &&
	       repro_same_entries(cur->deps, cur->ndeps, rec->deps, rec->ndeps) &&
	       repro_same_entries(cur->outs, cur->nouts, rec->outs, rec->nouts) &&
	       repro_same_entries(cur->metrics, cur->nmetrics, rec->metrics, rec->nmetrics);
}

/*
 * A stage's run in progress is marked by .cairn/tmp/running/<stage> from
 * before its outputs are cleared until its record is written: outputs left
 * by a run that failed or was interrupted are the command's, not the user's.
 */
static const struct cairn_error *repro_mark(struct work *w, const char *stage, bool on)
{
	const struct cairn_error *e;
	int dfd, fd;

	if ((e = fs_open_dir_beneath(&dfd, w->tmpfd, REPRO_RUNNING_DIR, on)) != NULL)
		return on || !err_is(e, CAIRN_ERR_NOT_FOUND) ? e : NULL;
	if (!on) {
		if (unlinkat(dfd, stage, 0) < 0 && errno != ENOENT)
			e = err_errno("remove '%s/%s'", REPRO_RUNNING_DIR, stage);
	} else if ((fd = openat(dfd, stage, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666)) <
		   0) {
		e = err_errno("create '%s/%s'", REPRO_RUNNING_DIR, stage);
	} else {
		close(fd);
	}
	close(dfd);
	return e;
}

static bool repro_marked(struct work *w, const char *stage)
{
	char *path = xasprintf("%s/%s", REPRO_RUNNING_DIR, stage);
	struct stat st;
	bool there = fstatat(w->tmpfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;

	free(path);
	return there;
}

/* Record a finished run: outputs hashed into the cache, lock and run cache written. */
static const struct cairn_error *repro_record(struct repro_run *r, const struct stage *s,
					      struct lockfile_stage *cur, bool store_outs)
{
	const struct cairn_error *e;
	struct work *w = r->c.w;
	const struct lockfile_stage *rec;
	size_t i;

	if (store_outs) {
		cur->outs = xcalloc(s->nouts ? s->nouts : 1, sizeof(*cur->outs));
		for (i = 0; i < s->nouts; i++, cur->nouts++) {
			e = stageout_hash(&cur->outs[i], w, s->outs[i].rel, false, true);
			if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
				cur->nouts++;
				return err_new(CAIRN_ERR_NOT_FOUND,
					       "stage '%s' did not create its output '%s'", s->name,
					       s->outs[i].rel);
			}
			if (e) {
				cur->nouts++;
				return err_wrap(e, "stage '%s'", s->name);
			}
		}
		cur->metrics = xcalloc(s->nmetrics ? s->nmetrics : 1, sizeof(*cur->metrics));
		for (i = 0; i < s->nmetrics; i++, cur->nmetrics++) {
			e = stageout_hash(&cur->metrics[i], w, s->metrics[i].rel, false, true);
			if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
				cur->nmetrics++;
				return err_new(CAIRN_ERR_NOT_FOUND,
					       "stage '%s' did not create its metrics file '%s'",
					       s->name, s->metrics[i].rel);
			}
			if (e) {
				cur->nmetrics++;
				return err_wrap(e, "stage '%s'", s->name);
			}
		}
	}
	for (i = 0; i < s->nouts; i++)
		if ((e = stageout_ignore(w, s->outs[i].rel)) != NULL)
			return e;
	rec = lockfile_find(&r->c.lk, s->name);
	if (rec && repro_same_run(cur, rec)) {
		/* same inputs, same outputs: keep the record */
		if ((e = runcache_save(w->cache, s, cur)) != NULL)
			return e;
		return repro_mark(w, s->name, false);
	}
	if (r->c.has_head)
		cur->commit = xstrdup(r->c.head);
	cur->dirty = r->c.dirty;
	cur->version = xstrdup(PACKAGE_VERSION);
	if ((e = runcache_save(w->cache, s, cur)) != NULL)
		return e;
	lockfile_put(&r->c.lk, cur);
	/* records of stages that left cairn.yaml go */
	for (i = 0; i < r->c.lk.n;)
		if (pipeline_find(&r->c.p, r->c.lk.v[i].name) == NULL)
			lockfile_drop(&r->c.lk, r->c.lk.v[i].name);
		else
			i++;
	if ((e = lockfile_write(&r->c.lk, w->repo)) != NULL)
		return e;
	return repro_mark(w, s->name, false);
}

/*
 * Refuse to run s over outputs changed since its last run whose content is
 * in neither its record nor the cache: running it would lose them.
 */
static const struct cairn_error *repro_guard(struct repro_run *r, const struct stage *s)
{
	const struct cairn_error *e = NULL;
	const struct lockfile_stage *rec = lockfile_find(&r->c.lk, s->name);
	struct buf lost = BUF_INIT;
	size_t j, n = 0;

	if (rec == NULL || repro_marked(r->c.w, s->name))
		return NULL;
	buf_init(&lost);
	for (j = 0; j < s->nouts + s->nmetrics && e == NULL; j++) {
		bool out = j < s->nouts;
		const char *rel = out ? s->outs[j].rel : s->metrics[j - s->nouts].rel;
		const struct lockfile_entry *was = out ? repro_entry(rec->outs, rec->nouts, rel)
						       : repro_entry(rec->metrics, rec->nmetrics, rel);
		struct lockfile_entry now;

		if (was == NULL)
			continue;
		e = stageout_hash(&now, r->c.w, rel, false, false);
		free(now.path);
		if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
			e = NULL;
			continue;
		}
		if (e || repro_entry_same(&now, was) || cache_has(r->c.w->cache, &now.id))
			continue;
		buf_addf(&lost, "%s'%s'", n++ ? ", " : "", rel);
	}
	if (e == NULL && n)
		e = err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				     "stage '%s' would overwrite %s changed since its last run: %s",
				     s->name, n == 1 ? "an output" : "outputs", lost.s),
			     "move %s away, or use --force to run the stage anyway",
			     n == 1 ? "it" : "them");
	buf_release(&lost);
	return e;
}

static const struct cairn_error *repro_start(struct repro_run *r, size_t i)
{
	const struct cairn_error *e;
	const struct stage *s = &r->c.p.v[i];
	struct runner_opts ro = { NULL, r->o->out_fd, NULL };
	char *script = runner_script(s->cmd, s->ncmd);
	char *cwd = fs_join(r->c.w->repo->root, s->wdir);
	int dfd = -1;
	size_t j;

	if ((e = repro_mark(r->c.w, s->name, true)) != NULL)
		goto done;
	for (j = 0; j < s->nouts + s->nmetrics; j++)
		if ((e = stageout_clear(r->c.w,
					j < s->nouts ? s->outs[j].rel : s->metrics[j - s->nouts].rel,
					r->o->force)))
			goto done;
	/* a real folder of the work tree: a symlink on the way could lead anywhere */
	if (*s->wdir && (e = fs_open_dir_beneath(&dfd, r->c.w->repo->rootfd, s->wdir, false))) {
		if (err_is(e, CAIRN_ERR_NOT_FOUND))
			e = err_new(CAIRN_ERR_NOT_FOUND,
				    "working folder '%s' of stage '%s' does not exist", s->wdir,
				    s->name);
		else
			e = err_wrap(e, "working folder of stage '%s'", s->name);
		goto done;
	}
	if (dfd >= 0)
		close(dfd);
	ro.cwd = cwd;
	if (r->cur[i].image) {
		char **argv = docker_argv(r->cur[i].image, r->c.w->repo->root, cwd, script);

		e = runner_start(&r->pids[i], argv, &ro);
		docker_argv_free(argv);
	} else {
		e = runner_start_sh(&r->pids[i], script, &ro);
	}
done:
	free(script);
	free(cwd);
	return e;
}

/* Forget the outputs a run cache entry filled in. */
static void repro_drop_outs(struct lockfile_stage *cur)
{
	size_t j;

	for (j = 0; j < cur->nouts; j++)
		free(cur->outs[j].path);
	for (j = 0; j < cur->nmetrics; j++)
		free(cur->metrics[j].path);
	free(cur->outs);
	free(cur->metrics);
	cur->outs = cur->metrics = NULL;
	cur->nouts = cur->nmetrics = 0;
}

/* Decide stage i: skip, restore, or start it. */
static const struct cairn_error *repro_decide(struct repro_run *r, size_t i)
{
	const struct cairn_error *e;
	const struct stage *s = &r->c.p.v[i];
	struct lockfile_stage *cur = &r->cur[i];
	const struct lockfile_stage *rec;
	struct repro_why why = { 0 };
	bool hit = false, upstream = false;
	char *text;
	size_t j;

	if (s->frozen) {
		repro_event(r, REPRO_FROZEN, s->name, NULL);
		r->state[i] = ST_DONE;
		return NULL;
	}
	for (j = 0; j < r->c.d.up[i].n; j++)
		if (r->ran[r->c.d.up[i].v[j]] && r->o->dry_run) {
			repro_why_add(&why, "upstream stage '%s' would run",
				      r->c.p.v[r->c.d.up[i].v[j]].name);
			upstream = true;
		}
	e = repro_current(cur, &r->c, s, r->o->dry_run ? &why : NULL);
	rec = lockfile_find(&r->c.lk, s->name);
	/* forced and never recorded (as in cairn reproduce's worktree): "forced" */
	if (e == NULL && (rec != NULL || !r->o->force))
		e = repro_compare(&why, &r->c, s, cur, rec);
	if (e)
		goto fail;
	if (why.n == 0 && !r->o->force) {
		repro_event(r, REPRO_UPTODATE, s->name, NULL);
		r->state[i] = ST_DONE;
		goto done;
	}
	if (why.n == 0)
		repro_why_add(&why, "forced");
	text = repro_why_join(&why);
	if (r->o->dry_run) {
		repro_event(r, REPRO_WOULD_RUN, s->name, text);
		free(text);
		r->ran[i] = true;
		r->state[i] = ST_DONE;
		(void)upstream;
		goto done;
	}
	if (!r->o->force && (e = repro_guard(r, s)) != NULL) {
		free(text);
		goto fail;
	}
	if (!r->o->force && !r->o->no_run_cache && !s->always_changed &&
	    (e = runcache_lookup(&hit, r->c.w->cache, s, cur, rec)) == NULL && hit) {
		for (j = 0; j < cur->nouts && e == NULL; j++)
			e = stageout_restore(r->c.w, &cur->outs[j], false);
		for (j = 0; j < cur->nmetrics && e == NULL; j++)
			e = stageout_restore(r->c.w, &cur->metrics[j], false);
		if (e == NULL) {
			free(text);
			if ((e = repro_record(r, s, cur, false)) != NULL)
				goto fail;
			repro_event(r, REPRO_RESTORED, s->name, NULL);
			r->ran[i] = true;
			r->state[i] = ST_DONE;
			goto done;
		}
		/*
		 * The run cache is a shortcut: when restoring fails (workspace data
		 * in the way, an executable cache.type cannot place, a corrupt
		 * object), the command runs and makes its outputs itself.
		 */
		e = NULL;
	}
	if (e) {
		free(text);
		goto fail;
	}
	repro_drop_outs(cur);
	repro_event(r, REPRO_RUNNING, s->name, text);
	free(text);
	if ((e = repro_start(r, i)) != NULL)
		goto fail;
	r->state[i] = ST_RUNNING;
	r->nrunning++;
	goto done;
fail:
	lockfile_stage_release(cur);
	r->state[i] = ST_FAILED;
done:
	if (r->state[i] != ST_RUNNING)
		lockfile_stage_release(cur);
	repro_why_release(&why);
	return e;
}

/* A child ended. */
static const struct cairn_error *repro_finish(struct repro_run *r, size_t i, int status)
{
	const struct cairn_error *e = NULL;
	const struct stage *s = &r->c.p.v[i];
	char how[96];

	r->pids[i] = 0;
	r->nrunning--;
	if (!runner_status_ok(status)) {
		runner_status_text(how, sizeof(how), status);
		repro_event(r, REPRO_FAILED, s->name, how);
		e = err_new(CAIRN_ERR_FAILED, "stage '%s' failed with %s", s->name, how);
	} else if ((e = repro_record(r, s, &r->cur[i], true)) == NULL) {
		repro_event(r, REPRO_DONE, s->name, NULL);
		r->ran[i] = true;
		r->state[i] = ST_DONE;
	}
	if (e)
		r->state[i] = ST_FAILED;
	lockfile_stage_release(&r->cur[i]);
	return e;
}

static bool repro_ready(const struct repro_run *r, size_t i)
{
	size_t j;

	for (j = 0; j < r->c.d.up[i].n; j++) {
		size_t u = r->c.d.up[i].v[j];

		if (r->sel[u] && r->state[u] != ST_DONE)
			return false;
	}
	return true;
}

static void repro_fail(struct repro_run *r, const struct cairn_error *e)
{
	if (!r->failed)
		err_save(&r->failure, e);
	r->failed = true;
}

static const struct cairn_error *repro_select(struct repro_run *r, char **targets, size_t n)
{
	size_t i, *idx;

	if (n == 0) {
		for (i = 0; i < r->c.p.n; i++)
			r->sel[i] = true;
		return NULL;
	}
	idx = xcalloc(n, sizeof(size_t));
	for (i = 0; i < n; i++) {
		const struct stage *s = pipeline_find(&r->c.p, targets[i]);

		if (s == NULL) {
			free(idx);
			return err_new(CAIRN_ERR_NOT_FOUND, "no stage '%s' in %s", targets[i],
				       STAGE_FILE);
		}
		idx[i] = (size_t)(s - r->c.p.v);
	}
	if (r->o->single)
		for (i = 0; i < n; i++)
			r->sel[idx[i]] = true;
	else
		dag_select_upstream(r->sel, &r->c.d, idx, n);
	free(idx);
	return NULL;
}

const struct cairn_error *repro_run(struct work *w, char **targets, size_t n,
				    const struct repro_opts *o)
{
	const struct cairn_error *e;
	struct repro_run r;
	size_t k, jobs = o->jobs > 0 ? (size_t)o->jobs : 1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	if ((e = repro_open(&r.c, w)) != NULL)
		goto out;
	if (!r.c.p.exists) {
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "no %s in '%s'", STAGE_FILE, w->repo->root),
			     "add a stage with 'cairn stage add'");
		goto out;
	}
	r.sel = xcalloc(r.c.p.n + 1, sizeof(bool));
	r.state = xcalloc(r.c.p.n + 1, sizeof(int));
	r.ran = xcalloc(r.c.p.n + 1, sizeof(bool));
	r.pids = xcalloc(r.c.p.n + 1, sizeof(pid_t));
	r.cur = xcalloc(r.c.p.n + 1, sizeof(*r.cur));
	if ((e = repro_select(&r, targets, n)) != NULL || (e = repro_preflight(&r)) != NULL)
		goto out;
	repro_git_state(&r.c);
	for (;;) {
		bool progress = true;
		size_t which;
		int status;

		while (progress && !r.failed && r.nrunning < jobs) {
			progress = false;
			if (o->cancel && (e = o->cancel(o->cancel_arg)) != NULL) {
				repro_fail(&r, e);
				break;
			}
			for (k = 0; k < r.c.d.n && r.nrunning < jobs && !r.failed; k++) {
				size_t i = r.c.d.order[k];

				if (!r.sel[i] || r.state[i] != ST_PENDING || !repro_ready(&r, i))
					continue;
				if ((e = repro_decide(&r, i)) != NULL)
					repro_fail(&r, e);
				progress = true;
			}
		}
		if (r.nrunning == 0)
			break;
		e = runner_wait_any(&which, &status, r.pids, r.c.p.n, o->cancel, o->cancel_arg);
		if (e) {
			size_t i;

			repro_fail(&r, e);
			for (i = 0; i < r.c.p.n; i++)
				if (r.state[i] == ST_RUNNING) {
					r.state[i] = ST_FAILED;
					lockfile_stage_release(&r.cur[i]);
				}
			r.nrunning = 0;
			break;
		}
		if ((e = repro_finish(&r, which, status)) != NULL)
			repro_fail(&r, e);
	}
	e = r.failed ? err_load(&r.failure) : NULL;
out:
	if (r.cur)
		for (k = 0; k < r.c.p.n; k++)
			lockfile_stage_release(&r.cur[k]);
	free(r.sel);
	free(r.state);
	free(r.ran);
	free(r.pids);
	free(r.cur);
	repro_close(&r.c);
	return e;
}
