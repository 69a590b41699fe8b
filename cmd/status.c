/*
 * status.c: cairn status [PATH...]: compare each tracked output's workspace
 * data with its pointer: up to date, modified (with the files that differ),
 * missing, or not in the cache. See cairn-status(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cmd/xfer.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repro.h"
#include "core/stageout.h"
#include "core/status.h"
#include "core/work.h"

static const struct opt_spec status_opts[] = {
	{ 'q', "quiet", NULL, "print nothing; exit 1 when anything is not up to date" },
	{ 0, "json", NULL, "print JSON" },
	{ 'c', "cloud", NULL, "compare with a remote: what to push, to pull, missing" },
	{ 'r', "remote", "NAME", "with --cloud: the remote (default: core.remote)" },
	{ 'j', "jobs", "N", "with --cloud: requests at a time" },
	{ 0, NULL, NULL, NULL },
};

enum { STATUS_QUIET, STATUS_JSON, STATUS_CLOUD, STATUS_REMOTE, STATUS_JOBS };

static void status_print(const struct out *o, const struct status_result *r)
{
	size_t i;

	if (r->kind == STATUS_CLEAN)
		return;
	if (r->kind == STATUS_MISSING && !r->in_cache)
		printf("missing: %s (not in cache)\n", o->rel);
	else if (r->kind == STATUS_MODIFIED && !r->in_cache && r->n == 0)
		printf("modified: %s (the recorded version is not in the cache)\n", o->rel);
	else
		printf("%s: %s\n", status_kind_name(r->kind), o->rel);
	for (i = 0; i < r->n; i++) {
		/* workspace names may be anything: one line, valid UTF-8 */
		char *p = cmd_escape(r->changes[i].path);

		printf("    %-9s %s\n", status_change_name(r->changes[i].change), p);
		free(p);
	}
}

static json_t *status_json(const struct out *o, const struct status_result *r)
{
	json_t *j = json_object(), *ch = json_array();
	size_t i;

	cmd_json_path(j, "path", o->rel);
	cmd_json_path(j, "pointer", o->ptr_rel);
	json_object_set_new(j, "type", json_string(o->ptr->type == PTR_DIR ? "dir" : "file"));
	json_object_set_new(j, "status", json_string(status_kind_name(r->kind)));
	json_object_set_new(j, "in_cache", json_boolean(r->in_cache));
	if (r->git_tracked)
		json_object_set_new(j, "also_in_git", json_true());
	for (i = 0; i < r->n; i++) {
		json_t *c = json_object();

		cmd_json_path(c, "path", r->changes[i].path);
		json_object_set_new(c, "change", json_string(status_change_name(r->changes[i].change)));
		json_array_append_new(ch, c);
	}
	json_object_set_new(j, "changes", ch);
	return j;
}

/* Stale pipeline stages (cairn.yaml against cairn.lock), with the reasons. */
static bool stages_seen;
static const struct cairn_error *status_stages(struct cmd_ctx *c, struct work *w, bool quiet,
					       json_t **json, size_t *dirty)
{
	const struct cairn_error *e;
	struct repro_report rep;
	size_t i, j;

	if ((e = repro_status(&rep, w, cmd_cancelled, NULL)) != NULL)
		return e;
	stages_seen = rep.n > 0;
	if (json)
		*json = json_array();
	for (i = 0; i < rep.n; i++) {
		const struct repro_state *st = &rep.v[i];

		if (st->stale)
			(*dirty)++;
		if (json) {
			json_t *o = json_object(), *why = json_array();

			json_object_set_new(o, "stage", json_string(st->name));
			json_object_set_new(o, "status", json_string(st->frozen ? "frozen"
								     : st->stale ? "changed"
										 : "up to date"));
			for (j = 0; j < st->nwhy; j++)
				json_array_append_new(why, json_string(st->why[j]));
			json_object_set_new(o, "changes", why);
			json_array_append_new(*json, o);
			continue;
		}
		if (quiet || !st->stale)
			continue;
		printf("stage %s: %s\n", st->name, st->always ? "always changed" : "changed");
		for (j = 0; j < st->nwhy; j++)
			printf("    %s\n", st->why[j]);
	}
	(void)c;
	repro_report_release(&rep);
	return NULL;
}

static const struct cairn_error *cmd_status(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	bool quiet = c->quiet || opt_given(c, STATUS_QUIET), json = opt_given(c, STATUS_JSON);
	struct out_list outs = OUT_LIST_INIT;
	json_t *jouts = json ? json_array() : NULL, *jstages = NULL;
	size_t i, dirty = 0;
	struct work w;

	if (opt_given(c, STATUS_CLOUD)) {
		json_decref(jouts);
		return cmd_status_cloud(c, opt_str(c, STATUS_REMOTE), opt_str(c, STATUS_JOBS), json,
					quiet || c->quiet); /* cairn -q status -c, too */
	}
	if (opt_given(c, STATUS_REMOTE) || opt_given(c, STATUS_JOBS)) {
		json_decref(jouts);
		return err_new(CAIRN_ERR_USAGE, "--remote and --jobs go with --cloud");
	}
	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	e = stageout_collect(&outs, c->repo, c->argv, c->argc);
	for (i = 0; e == NULL && i < outs.n; i++) {
		struct status_result r;

		if ((e = status_out(&r, &w, &outs.v[i])) != NULL)
			break;
		if (r.kind != STATUS_CLEAN)
			dirty++;
		if (r.git_tracked && !quiet && !json)
			cmd_warn("'%s' is tracked by both git and cairn; run: git rm --cached '%s'",
				 outs.v[i].rel, outs.v[i].rel);
		if (json)
			json_array_append_new(jouts, status_json(&outs.v[i], &r));
		else if (!quiet)
			status_print(&outs.v[i], &r);
		status_result_release(&r);
	}
	if (e == NULL && c->argc == 0)
		e = status_stages(c, &w, quiet, json ? &jstages : NULL, &dirty);
	if (e == NULL) {
		if (json) {
			json_t *root = json_object();

			if (jstages)
				json_object_set_new(root, "stages", jstages);
			jstages = NULL;
			json_object_set_new(root, "outputs", jouts);
			json_object_set_new(root, "clean", json_boolean(dirty == 0));
			jouts = NULL;
			json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
			putchar('\n');
			json_decref(root);
		} else if (!quiet && dirty == 0) {
			if (outs.n == 0 && stages_seen)
				printf("pipeline up to date\n");
			else if (outs.n == 0)
				printf("no tracked outputs\n");
			else
				printf("up to date: %zu tracked output%s\n", outs.n,
				       outs.n == 1 ? "" : "s");
		}
		if (quiet && dirty)
			c->exit_code = 1;
	}
	json_decref(jouts);
	json_decref(jstages);
	out_list_release(&outs);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.args = "[PATH...]",
	.summary = "show which tracked outputs differ from their pointers",
	.opts = status_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_status,
};
