/*
 * stage.c: cairn stage add|list: write a stage into cairn.yaml (checked as
 * part of the whole pipeline first: a cycle or an overlapping output leaves
 * the file unchanged), or list the stages. See cairn-stage(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/params.h"
#include "core/repo.h"
#include "core/stage.h"
#include "core/xmalloc.h"

static const struct opt_spec stage_add_opts[] = {
	{ 'n', "name", "NAME", "the stage's name (required)" },
	{ 'd', "deps", "DEP", "a dependency (file or folder; repeatable)" },
	{ 'o', "outs", "OUT", "an output, cached by cairn (repeatable)" },
	{ 'm', "metrics", "FILE", "a metrics file, kept in Git (repeatable)" },
	{ 'p', "params", "[FILE:]KEY[,KEY]", "parameters the stage reads (repeatable)" },
	{ 'w', "wdir", "DIR", "run the command in DIR (paths are relative to it)" },
	{ 0, "image", "IMAGE", "run the command inside this Docker image" },
	{ 0, "always-changed", NULL, "run the stage on every repro" },
	{ 'f', "force", NULL, "replace a stage of the same name" },
	{ 0, NULL, NULL, NULL },
};

enum { SA_NAME, SA_DEPS, SA_OUTS, SA_METRICS, SA_PARAMS, SA_WDIR, SA_IMAGE, SA_ALWAYS, SA_FORCE };

static const struct cairn_error *stage_add(struct cmd_ctx *c);
static const struct cairn_error *stage_list(struct cmd_ctx *c);

static const struct cmd_entry stage_add_entry = {
	.name = "stage add",
	.args = "CMD...",
	.summary = "add a stage to cairn.yaml",
	.opts = stage_add_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = stage_add,
};

static const struct cmd_entry stage_list_entry = {
	.name = "stage list",
	.args = "",
	.summary = "list the stages of cairn.yaml",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = stage_list,
};

static const struct cairn_error *stage_paths(struct stage_path **out, size_t *n,
					     struct cmd_ctx *c, int row, const char *wdir,
					     bool allow_external, const char *what)
{
	const struct cairn_error *e;
	const char **vals;
	size_t i, k = opt_list(c, row, &vals);

	*out = xcalloc(k ? k : 1, sizeof(**out));
	*n = 0;
	for (i = 0; i < k; i++) {
		struct stage_path *p = &(*out)[(*n)++];

		p->path = xstrdup(vals[i]);
		if ((e = stage_norm_path(&p->rel, &p->external, wdir, vals[i], c->repo->root)))
			return allow_external ? err_hint(err_new(e->code, "%s %s", what, e->msg),
							 "name an external dependency by its "
							 "absolute path")
					      : err_new(e->code, "%s %s", what, e->msg);
		if (p->external && !allow_external)
			return err_new(CAIRN_ERR_FAILED, "%s '%s' is outside the repository", what,
				       vals[i]);
		if (!allow_external && stage_reserved(p->rel))
			return err_new(CAIRN_ERR_FAILED, "%s '%s' %s", what, vals[i],
				       stage_reserved(p->rel));
	}
	return NULL;
}

/* -p KEY,KEY or -p FILE:KEY,KEY or -p FILE: (the whole file). */
static const struct cairn_error *stage_params_opt(struct stage *s, struct cmd_ctx *c)
{
	const struct cairn_error *e;
	const char **vals;
	size_t i, k = opt_list(c, SA_PARAMS, &vals), cap = 0;

	for (i = 0; i < k; i++) {
		const char *colon = strchr(vals[i], ':');
		char *file = colon ? xstrndup(vals[i], (size_t)(colon - vals[i]))
				   : xstrdup(PARAMS_DEFAULT_FILE);
		char *keys = xstrdup(colon ? colon + 1 : vals[i]), *key, *save = NULL, *rel = NULL;
		bool ext, any = false;

		e = stage_norm_path(&rel, &ext, s->wdir, file, c->repo->root);
		if (e)
			e = err_new(e->code, "params file %s", e->msg);
		else if (ext)
			e = err_new(CAIRN_ERR_FAILED, "params file '%s' is outside the repository", file);
		for (key = strtok_r(keys, ",", &save); e == NULL && key;
		     key = strtok_r(NULL, ",", &save)) {
			XGROW(s->params, s->nparams + 1, cap);
			s->params[s->nparams].file = xstrdup(rel);
			s->params[s->nparams++].key = xstrdup(key);
			any = true;
		}
		if (e == NULL && !any && colon) {
			XGROW(s->params, s->nparams + 1, cap);
			s->params[s->nparams].file = xstrdup(rel);
			s->params[s->nparams++].key = NULL;
		} else if (e == NULL && !any) {
			e = err_new(CAIRN_ERR_USAGE, "empty parameter '%s'", vals[i]);
		}
		free(rel);
		free(file);
		free(keys);
		if (e)
			return e;
	}
	return NULL;
}

static const struct cairn_error *stage_add(struct cmd_ctx *c)
{
	const struct cairn_error *e = NULL;
	const char *name = opt_str(c, SA_NAME), *why;
	struct buf cmd = BUF_INIT;
	struct stage s;
	int i;

	memset(&s, 0, sizeof(s));
	if (name == NULL)
		return err_new(CAIRN_ERR_USAGE, "a stage needs a name (-n NAME)");
	if ((why = stage_name_check(name)) != NULL)
		return err_new(CAIRN_ERR_USAGE, "bad stage name '%s': %s", name, why);
	s.name = xstrdup(name);
	s.wdir = xstrdup("");
	if (opt_given(c, SA_WDIR) && strcmp(opt_str(c, SA_WDIR), ".") != 0) {
		bool ext;

		free(s.wdir);
		s.wdir = NULL;
		e = stage_norm_path(&s.wdir, &ext, "", opt_str(c, SA_WDIR), c->repo->root);
		if (e)
			e = err_new(e->code, "wdir %s", e->msg);
		else if (ext)
			e = err_new(CAIRN_ERR_FAILED, "wdir '%s' is outside the repository",
				    opt_str(c, SA_WDIR));
		if (e)
			goto done;
	}
	buf_init(&cmd);
	for (i = 0; i < c->argc; i++)
		buf_addf(&cmd, "%s%s", i ? " " : "", c->argv[i]);
	s.cmd = xcalloc(1, sizeof(char *));
	s.cmd[s.ncmd++] = buf_detach(&cmd);
	if ((e = stage_paths(&s.deps, &s.ndeps, c, SA_DEPS, s.wdir, true, "dependency")) ||
	    (e = stage_paths(&s.outs, &s.nouts, c, SA_OUTS, s.wdir, false, "output")) ||
	    (e = stage_paths(&s.metrics, &s.nmetrics, c, SA_METRICS, s.wdir, false, "metric")) ||
	    (e = stage_params_opt(&s, c)))
		goto done;
	if (opt_given(c, SA_IMAGE))
		s.image = xstrdup(opt_str(c, SA_IMAGE));
	s.always_changed = opt_given(c, SA_ALWAYS);
	if ((e = pipeline_add(c->repo, &s, opt_given(c, SA_FORCE))) != NULL)
		goto done;
	if (!c->quiet)
		printf("added stage '%s' to %s\n", s.name, STAGE_FILE);
done:
	buf_release(&cmd);
	stage_release(&s);
	return e;
}

static const struct cairn_error *stage_list(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct pipeline p;
	size_t i, j;

	if ((e = pipeline_load(&p, c->repo)) != NULL)
		return e;
	for (i = 0; i < p.n; i++) {
		printf("%s:", p.v[i].name);
		for (j = 0; j < p.v[i].nouts; j++)
			printf(" %s", p.v[i].outs[j].rel);
		for (j = 0; j < p.v[i].nmetrics; j++)
			printf(" %s", p.v[i].metrics[j].rel);
		printf("\n");
	}
	pipeline_release(&p);
	return NULL;
}

static const struct cairn_error *cmd_stage(struct cmd_ctx *c)
{
	static const struct cmd_entry *const subs[] = { &stage_add_entry, &stage_list_entry,
							NULL };

	return cmd_subcommand(c, subs);
}

const struct cmd_entry cmd_stage_entry = {
	.name = "stage",
	.args = "add|list [ARGS]",
	.summary = "add stages to the pipeline (cairn.yaml) or list them",
	.opts = NULL,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NO_OPTS,
	.run = cmd_stage,
};
