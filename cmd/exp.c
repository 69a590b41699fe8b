/*
 * exp.c: cairn exp run|show|apply|branch|remove: experiments, each run in
 * its own temporary worktree sharing the cache and recorded as a commit
 * under refs/cairn/exps/ (core/exp.c). See cairn-exp(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/exp.h"
#include "core/par.h"
#include "core/remote_cfg.h"
#include "core/xmalloc.h"
#include "core/yjson.h"
#include "remotes/expsync.h"

static const struct opt_spec exp_run_opts[] = {
	{ 'S', "set-param", "[FILE:]KEY=VALUE[,VALUE]", "set a param (values: one experiment each)" },
	{ 'n', "name", "NAME", "name the experiment (a prefix when there are several)" },
	{ 'j', "jobs", "N", "run up to N experiments at once" },
	{ 0, NULL, NULL, NULL },
};
enum { ER_SET, ER_NAME, ER_JOBS };

static const struct opt_spec exp_show_opts[] = {
	{ 0, "json", NULL, "print JSON" },
	{ 0, "csv", NULL, "print CSV" },
	{ 'A', "all-baselines", NULL, "experiments of every baseline, not only HEAD's" },
	{ 0, NULL, NULL, NULL },
};
enum { ES_JSON, ES_CSV, ES_ALL };

static const struct opt_spec exp_apply_opts[] = {
	{ 'f', "force", NULL, "overwrite uncommitted changes in the workspace" },
	{ 0, NULL, NULL, NULL },
};

static void exp_on_event(const char *name, bool done, const char *detail, const char *log,
			 void *arg)
{
	const struct cmd_ctx *c = arg;

	if (!done) {
		if (!c->quiet)
			printf("running experiment '%s'\n", name);
	} else if (detail) {
		cmd_note("experiment '%s' failed: %s", name, detail);
		if (log)
			cmd_hint("its log is %s", log);
	} else if (!c->quiet) {
		printf("experiment '%s' done\n", name);
	}
	fflush(stdout);
}

static const struct cairn_error *exp_cmd_run(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct exp_run_opts o = { 0 };
	struct exp_spec *v = NULL;
	const char **sets;
	size_t nset = opt_list(c, ER_SET, &sets), n = 0, failed = 0;
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len <= 0)
		return err_errno("find the cairn binary");
	self[len] = '\0';
	o.self = self;
	o.jobs = 1;
	if (opt_given(c, ER_JOBS) && (e = par_jobs_parse(&o.jobs, "--jobs", opt_str(c, ER_JOBS), 64)))
		return e;
	o.event = exp_on_event;
	o.event_arg = c;
	o.cancel = cmd_cancelled;
	if ((e = exp_plan(&v, &n, (char **)sets, nset, opt_str(c, ER_NAME))) != NULL)
		return e;
	e = exp_run(&failed, c->repo, v, n, &o);
	if (e == NULL && failed)
		e = err_new(CAIRN_ERR_FAILED, "%zu of %zu experiment%s failed", failed, n,
			    n == 1 ? "" : "s");
	exp_specs_free(v, n);
	return e;
}

/* Every "file:key" of one kind in the rows, in first-seen order. */
static json_t *exp_columns(json_t *rows, const char *kind)
{
	json_t *cols = json_object(), *row, *v;
	const char *k;
	size_t i;

	json_array_foreach(rows, i, row) {
		/* the baseline lists every param; only those an experiment changed are columns */
		if (strcmp(kind, "params") == 0 && i == 0)
			continue;
		json_object_foreach(json_object_get(row, kind), k, v)
			json_object_set_new(cols, k, json_true());
	}
	return cols;
}

/* RFC 4180: a cell holding a comma, a double quote, LF or CR is quoted. */
static void exp_csv_cell(const char *s)
{
	if (strpbrk(s, ",\"\n\r")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
}

static const struct cairn_error *exp_cmd_show(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	json_t *rows = NULL, *pcols, *mcols, *row, *v;
	size_t i, k, ncols, nrows, n = 0;
	const char *key;
	char **cells;
	bool csv = opt_given(c, ES_CSV);

	if (csv && opt_given(c, ES_JSON))
		return err_new(CAIRN_ERR_USAGE, "--json and --csv cannot be used together");
	if ((e = exp_show(&rows, c->repo, opt_given(c, ES_ALL))) != NULL)
		return e;
	if (opt_given(c, ES_JSON)) {
		json_dumpf(rows, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		putchar('\n');
		json_decref(rows);
		return NULL;
	}
	pcols = exp_columns(rows, "params");
	mcols = exp_columns(rows, "metrics");
	ncols = 3 + json_object_size(pcols) + json_object_size(mcols);
	nrows = json_array_size(rows) + 1;
	cells = xcalloc(ncols * nrows, sizeof(char *));
	cells[n++] = xstrdup("experiment");
	cells[n++] = xstrdup("rev");
	cells[n++] = xstrdup("state");
	json_object_foreach(pcols, key, v)
		cells[n++] = xstrdup(key);
	json_object_foreach(mcols, key, v)
		cells[n++] = xstrdup(key);
	json_array_foreach(rows, i, row) {
		json_t *rev = json_object_get(row, "rev");

		cells[n++] = xstrdup(json_string_value(json_object_get(row, "name")));
		cells[n++] = xstrdup(rev ? json_string_value(rev) : "-");
		cells[n++] = xstrdup(json_string_value(json_object_get(row, "state")));
		json_object_foreach(pcols, key, v)
			cells[n++] = yjson_text(json_object_get(json_object_get(row, "params"), key));
		json_object_foreach(mcols, key, v)
			cells[n++] = yjson_text(json_object_get(json_object_get(row, "metrics"), key));
	}
	if (csv) {
		for (i = 0; i < nrows; i++)
			for (k = 0; k < ncols; k++) {
				exp_csv_cell(cells[i * ncols + k]);
				putchar(k + 1 < ncols ? ',' : '\n');
			}
	} else {
		cmd_table(cells, ncols, nrows);
	}
	for (i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
	json_decref(pcols);
	json_decref(mcols);
	json_decref(rows);
	return NULL;
}

static const struct cairn_error *exp_cmd_apply(struct cmd_ctx *c)
{
	const struct cairn_error *e = exp_apply(c->repo, c->argv[0], opt_given(c, 0));

	if (e == NULL && !c->quiet)
		printf("applied experiment '%s' to the workspace\n", c->argv[0]);
	return e;
}

static const struct cairn_error *exp_cmd_branch(struct cmd_ctx *c)
{
	const struct cairn_error *e = exp_branch(c->repo, c->argv[0], c->argv[1]);

	if (e == NULL && !c->quiet)
		printf("branch '%s' made from experiment '%s'\n", c->argv[1], c->argv[0]);
	return e;
}

static const struct cairn_error *exp_cmd_remove(struct cmd_ctx *c)
{
	const struct cairn_error *e = NULL;
	int i;

	for (i = 0; i < c->argc && e == NULL; i++)
		if ((e = exp_remove(c->repo, c->argv[i])) == NULL && !c->quiet)
			printf("removed experiment '%s'\n", c->argv[i]);
	return e;
}

static const struct opt_spec exp_sync_opts[] = {
	{ 'j', "jobs", "N", "transfer N objects at once" },
	{ 'f', "force", NULL, "replace experiments that differ on the other side" },
	{ 0, NULL, NULL, NULL },
};
enum { EY_JOBS, EY_FORCE };

static const struct cairn_error *exp_cmd_sync(struct cmd_ctx *c, bool push)
{
	const struct cairn_error *e;
	struct expsync_result res;
	struct xfer_opts o = { 0 };

	bool force = opt_given(c, EY_FORCE);

	if (opt_given(c, EY_JOBS) &&
	    (e = remote_cfg_jobs(&o.jobs, "--jobs", opt_str(c, EY_JOBS))) != NULL)
		return e;
	o.cancel = cmd_cancelled;
	e = push ? expsync_push(&res, c->repo, c->argv[0], c->argv + 1, (size_t)c->argc - 1,
				force, &o)
		 : expsync_pull(&res, c->repo, c->argv[0], c->argv + 1, (size_t)c->argc - 1,
				force, &o);
	if (e == NULL && !c->quiet) {
		printf("%s %zu experiment%s %s '%s'\n", push ? "pushed" : "pulled", res.refs,
		       res.refs == 1 ? "" : "s", push ? "to" : "from", c->argv[0]);
		if (res.data)
			printf("%s %llu object%s (%s)\n", push ? "sent" : "received",
			       (unsigned long long)res.xfer.transferred,
			       res.xfer.transferred == 1 ? "" : "s", cmd_size(res.xfer.bytes));
	}
	if (e == NULL && !res.data)
		cmd_warn("no default cairn remote (core.remote): only the experiments' refs moved, "
			 "not their data");
	expsync_result_release(&res);
	return e;
}

static const struct cairn_error *exp_cmd_push(struct cmd_ctx *c)
{
	return exp_cmd_sync(c, true);
}

static const struct cairn_error *exp_cmd_pull(struct cmd_ctx *c)
{
	return exp_cmd_sync(c, false);
}

static const struct cmd_entry exp_run_entry = {
	.name = "exp run", .args = "", .summary = "run experiments in temporary worktrees",
	.opts = exp_run_opts, .min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_INIT, .run = exp_cmd_run,
};
static const struct cmd_entry exp_show_entry = {
	.name = "exp show", .args = "", .summary = "list experiments with changed params and metrics",
	.opts = exp_show_opts, .min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_INIT, .run = exp_cmd_show,
};
static const struct cmd_entry exp_apply_entry = {
	.name = "exp apply", .args = "NAME", .summary = "put an experiment's files in the workspace",
	.opts = exp_apply_opts, .min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES, .run = exp_cmd_apply,
};
static const struct cmd_entry exp_branch_entry = {
	.name = "exp branch", .args = "NAME BRANCH", .summary = "make a Git branch of an experiment",
	.opts = NULL, .min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_INIT, .run = exp_cmd_branch,
};
static const struct cmd_entry exp_remove_entry = {
	.name = "exp remove", .args = "NAME...", .summary = "remove experiments",
	.opts = NULL, .min_args = 1, .max_args = -1,
	.flags = CMD_NEEDS_INIT, .run = exp_cmd_remove,
};

static const struct cmd_entry exp_push_entry = {
	.name = "exp push", .args = "GITREMOTE [NAME...]",
	.summary = "send experiments (refs and data) to a Git remote and the cairn remote",
	.opts = exp_sync_opts, .min_args = 1, .max_args = -1,
	.flags = CMD_NEEDS_INIT, .run = exp_cmd_push,
};
static const struct cmd_entry exp_pull_entry = {
	.name = "exp pull", .args = "GITREMOTE [NAME...]",
	.summary = "bring experiments (refs and data) from a Git remote and the cairn remote",
	.opts = exp_sync_opts, .min_args = 1, .max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES, .run = exp_cmd_pull,
};

static const struct cairn_error *cmd_exp(struct cmd_ctx *c)
{
	static const struct cmd_entry *const subs[] = {
		&exp_run_entry, &exp_show_entry, &exp_apply_entry, &exp_branch_entry,
		&exp_remove_entry, &exp_push_entry, &exp_pull_entry, NULL,
	};

	return cmd_subcommand(c, subs);
}

const struct cmd_entry cmd_exp_entry = {
	.name = "exp",
	.args = "run|show|apply|branch|remove|push|pull [ARGS]",
	.summary = "run experiments; compare, apply, branch, remove, push or pull them",
	.opts = NULL,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NO_OPTS,
	.run = cmd_exp,
};
