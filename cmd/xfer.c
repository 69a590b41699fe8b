/*
 * xfer.c: the command side shared by push, fetch, pull and status
 * --cloud: options into a remote and transfer settings, the progress line
 * (objects, bytes, rate; only on a terminal), and the report of what
 * status --cloud found. See cairn-push(1) and cairn-status(1).
 */
#include "buildconf.h"

#include "cmd/xfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/fsutil.h"
#include "core/ptr.h"
#include "core/oidset.h"
#include "core/remote_cfg.h"
#include "core/repo.h"
#include "core/revset.h"
#include "core/stageout.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"

#define XFER_LIST_MAX 5  /* missing objects named in one error */
#define XFER_SHOW_MAX 10 /* missing paths shown under one output */

static void cmd_xfer_on_progress(const char *phase, uint64_t objects, uint64_t objects_total,
				 uint64_t bytes, uint64_t bytes_total, void *arg)
{
	struct cmd_xfer *x = arg;

	if (x->phase != phase) {
		progress_done(x->prog);
		x->phase = phase;
		x->prog = progress_new(x->ctx, phase);
		progress_unit(x->prog, "objects");
	}
	progress_update(x->prog, objects, objects_total, bytes, bytes_total);
}

void cmd_xfer_revs(struct revset_opts *o, const struct cmd_ctx *c, int rev_row)
{
	memset(o, 0, sizeof(*o));
	o->nrevs = opt_list(c, rev_row, (const char ***)&o->revs);
	o->all_branches = opt_given(c, rev_row + 1);
	o->all_tags = opt_given(c, rev_row + 2);
	o->all_commits = opt_given(c, rev_row + 3);
}

void cmd_xfer_progress_done(struct cmd_xfer *x)
{
	progress_done(x->prog);
	x->prog = NULL;
	x->phase = NULL;
}

const struct cairn_error *cmd_xfer_open(struct cmd_xfer *x, struct cmd_ctx *c,
					const char *remote, const char *jobs)
{
	return cmd_xfer_open_revs(x, c, remote, jobs, NULL);
}

/* PATH arguments as root-relative output paths (a pointer names its output). */
static const struct cairn_error *cmd_xfer_paths(char ***out, struct cmd_ctx *c)
{
	const struct cairn_error *e;
	int i;

	*out = xcalloc((size_t)c->argc + 1, sizeof(char *));
	for (i = 0; i < c->argc; i++) {
		size_t n;

		if ((e = repo_relpath(&(*out)[i], c->repo, c->argv[i])) != NULL)
			return e;
		n = strlen((*out)[i]);
		if (n > strlen(PTR_SUFFIX) && strcmp((*out)[i] + n - strlen(PTR_SUFFIX), PTR_SUFFIX) == 0)
			(*out)[i][n - strlen(PTR_SUFFIX)] = '\0';
	}
	return NULL;
}

static bool cmd_xfer_under(const char *rel, char *const *paths, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t k = strlen(paths[i]);

		if (k == 0 || (strncmp(rel, paths[i], k) == 0 && (rel[k] == '\0' || rel[k] == '/')))
			return true;
	}
	return n == 0;
}

/* Drop the revision outputs (from index first on) whose data an earlier output names. */
static void cmd_xfer_dedup(struct out_list *l, size_t first)
{
	struct oidset ids;
	size_t i, k = first;

	oidset_init(&ids);
	for (i = 0; i < l->n; i++) {
		bool fresh = oidset_add(&ids, &l->v[i].ptr->id);

		if (i < first)
			continue;
		if (!fresh) {
			out_release(&l->v[i]);
			continue;
		}
		l->v[k++] = l->v[i];
	}
	l->n = k;
	oidset_release(&ids);
}

/* The workspace's outputs under paths, then the revisions' other pointers. */
static const struct cairn_error *cmd_xfer_rev_outs(struct cmd_xfer *x, struct cmd_ctx *c,
						   const struct revset_opts *revs)
{
	const struct cairn_error *e;
	struct out_list all = OUT_LIST_INIT;
	struct oidset seen;
	char **paths = NULL;
	size_t i;
	int k;

	oidset_init(&seen);
	if ((e = cmd_xfer_paths(&paths, c)) == NULL)
		e = stageout_collect(&all, c->repo, NULL, 0);
	for (i = 0; e == NULL && i < all.n; i++) {
		if (!cmd_xfer_under(all.v[i].rel, paths, c->argc))
			continue;
		XGROW(x->outs.v, x->outs.n + 1, x->outs.cap);
		x->outs.v[x->outs.n++] = all.v[i];
		memset(&all.v[i], 0, sizeof(all.v[i]));
	}
	x->nwork = x->outs.n;
	if (e == NULL)
		e = revset_outs(&x->outs, c->repo, revs, paths, (size_t)c->argc, &seen);
	if (e == NULL)
		cmd_xfer_dedup(&x->outs, x->nwork);
	out_list_release(&all);
	oidset_release(&seen);
	for (k = 0; paths && k < c->argc; k++)
		free(paths[k]);
	free(paths);
	return e;
}

const struct cairn_error *cmd_xfer_open_revs(struct cmd_xfer *x, struct cmd_ctx *c,
					     const char *remote, const char *jobs,
					     const struct revset_opts *revs)
{
	const struct cairn_error *e;
	struct repo *r = c->repo;
	char *qdir;

	memset(x, 0, sizeof(*x));
	x->ctx = c;
	if (jobs && (e = remote_cfg_jobs(&x->opts.jobs, "--jobs", jobs)) != NULL)
		return e;
	x->opts.progress = cmd_xfer_on_progress;
	x->opts.progress_arg = x;
	x->opts.cancel = cmd_cancelled;
	if ((e = repo_cache(&x->cache, r)) != NULL)
		return e;
	qdir = fs_join(r->tmp_dir, "quarantine"); /* where work_open puts it too */
	cache_set_quarantine(x->cache, qdir);
	free(qdir);
	if (revset_any(revs)) {
		e = cmd_xfer_rev_outs(x, c, revs);
	} else {
		/* pointer files' outputs and the stage outputs cairn.lock records */
		e = stageout_collect(&x->outs, r, c->argv, c->argc);
		x->nwork = x->outs.n;
	}
	if (e == NULL)
		e = remote_open(&x->remote, r->cfg, remote, r->root);
	if (e)
		cmd_xfer_close(x);
	return e;
}

void cmd_xfer_close(struct cmd_xfer *x)
{
	cmd_xfer_progress_done(x);
	remote_close(x->remote);
	x->remote = NULL;
	out_list_release(&x->outs);
}

const struct cairn_error *cmd_xfer_missing(const struct xfer_result *res, const char *what)
{
	struct buf b = BUF_INIT;
	const struct cairn_error *e;
	size_t i;

	if (res->nmissing == 0)
		return NULL;
	buf_init(&b);
	for (i = 0; i < res->nmissing && i < XFER_LIST_MAX; i++)
		buf_addf(&b, "%s'%s' (object %.12s)", i ? ", " : "", res->missing[i].path,
			 oid_hex(&res->missing[i].id));
	if (res->nmissing > XFER_LIST_MAX)
		buf_addf(&b, " and %zu more", res->nmissing - XFER_LIST_MAX);
	e = err_new(CAIRN_ERR_NOT_FOUND, "%s: %s", what, b.s);
	buf_release(&b);
	return e;
}

/* ---- status --cloud ---- */

static const char *cmd_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static bool cmd_under(const char *path, const char *out)
{
	size_t n = strlen(out);

	return strncmp(path, out, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void cmd_cloud_print(const struct out *o, const struct xfer_out_state *st,
			    const struct xfer_result *res, const char *remote)
{
	size_t i, shown = 0;
	char *rel = cmd_escape(o->rel); /* one line each, as status prints paths */

	if (st->local_only)
		printf("to push: %s (%llu %s, %s)\n", rel, (unsigned long long)st->local_only,
		       cmd_plural(st->local_only, "object", "objects"), cmd_size(st->local_bytes));
	if (st->remote_only)
		printf("to pull: %s (%llu %s)\n", rel, (unsigned long long)st->remote_only,
		       cmd_plural(st->remote_only, "object", "objects"));
	if (st->nowhere)
		printf("missing: %s (%llu %s in neither the cache nor '%s')\n", rel,
		       (unsigned long long)st->nowhere, cmd_plural(st->nowhere, "object", "objects"),
		       remote);
	for (i = 0; st->nowhere && i < res->nmissing; i++) {
		char *p;

		if (!cmd_under(res->missing[i].path, o->rel))
			continue;
		if (shown++ >= XFER_SHOW_MAX)
			continue;
		p = cmd_escape(res->missing[i].path);
		printf("    %s (object %.12s)\n", p, oid_hex(&res->missing[i].id));
		free(p);
	}
	if (shown > XFER_SHOW_MAX)
		printf("    and %zu more\n", shown - XFER_SHOW_MAX);
	free(rel);
}

static json_t *cmd_cloud_json(const struct out *o, const struct xfer_out_state *st,
			      const struct xfer_result *res)
{
	json_t *j = json_object(), *miss = json_array();
	size_t i;

	cmd_json_path(j, "path", o->rel);
	json_object_set_new(j, "type", json_string(o->ptr->type == PTR_DIR ? "dir" : "file"));
	json_object_set_new(j, "objects", cmd_json_count(st->objects));
	json_object_set_new(j, "in_both", cmd_json_count(st->both));
	json_object_set_new(j, "to_push", cmd_json_count(st->local_only));
	json_object_set_new(j, "to_push_bytes", cmd_json_count(st->local_bytes));
	json_object_set_new(j, "to_pull", cmd_json_count(st->remote_only));
	json_object_set_new(j, "missing", cmd_json_count(st->nowhere));
	for (i = 0; i < res->nmissing; i++) {
		json_t *m;

		if (!cmd_under(res->missing[i].path, o->rel))
			continue;
		m = json_object();
		cmd_json_path(m, "path", res->missing[i].path);
		json_object_set_new(m, "sha256", json_string(oid_hex(&res->missing[i].id)));
		json_array_append_new(miss, m);
	}
	json_object_set_new(j, "missing_objects", miss);
	return j;
}

const struct cairn_error *cmd_status_cloud(struct cmd_ctx *c, const char *remote,
					   const char *jobs, bool json, bool quiet)
{
	const struct cairn_error *e;
	struct xfer_result res;
	struct cmd_xfer x;
	size_t k, incomplete = 0, pull = 0;
	json_t *jouts = NULL;

	if ((e = cmd_xfer_open(&x, c, remote, jobs)) != NULL)
		return e;
	e = xfer_status(&res, x.remote, x.cache, &x.outs, &x.opts);
	cmd_xfer_progress_done(&x);
	if (e) {
		cmd_xfer_close(&x);
		return e;
	}
	if (json)
		jouts = json_array();
	for (k = 0; k < x.outs.n; k++) {
		const struct xfer_out_state *st = &res.outs[k];

		if (st->local_only || st->nowhere)
			incomplete++;
		if (st->remote_only)
			pull++;
		if (json)
			json_array_append_new(jouts, cmd_cloud_json(&x.outs.v[k], st, &res));
		else if (!quiet)
			cmd_cloud_print(&x.outs.v[k], st, &res, x.remote->name);
	}
	if (json) {
		json_t *root = json_object();

		json_object_set_new(root, "remote", json_string(x.remote->name));
		json_object_set_new(root, "outputs", jouts);
		json_object_set_new(root, "remote_complete", json_boolean(incomplete == 0));
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
		json_decref(root);
	} else if (!quiet && incomplete == 0 && pull == 0) {
		printf("up to date with '%s': %zu tracked %s\n", x.remote->name, x.outs.n,
		       cmd_plural(x.outs.n, "output", "outputs"));
	}
	/* CI: exit 1 unless the remote holds every object the outputs need */
	if (incomplete)
		c->exit_code = 1;
	xfer_result_release(&res);
	cmd_xfer_close(&x);
	return NULL;
}
