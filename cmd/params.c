/*
 * params.c: cairn params diff [A [B]]: the params values that differ between
 * two revisions, or a revision and the workspace (read from Git objects,
 * never by checking out). See cairn-params(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "core/valdiff.h"
#include "core/xmalloc.h"
#include "core/yjson.h"

static const struct opt_spec params_diff_opts[] = {
	{ 0, "all", NULL, "list unchanged values too" },
	{ 0, "json", NULL, "print JSON" },
	{ 0, NULL, NULL, NULL },
};

enum { PD_ALL, PD_JSON };

/* Print rows of valdiff_diff as a table or JSON (shared with metrics through the same shape). */
static void params_print(const json_t *rows, const char *what, const char *a, const char *b,
			 bool json)
{
	size_t i, n = json_array_size(rows), k = 0;
	char **cells;

	if (json) {
		json_dumpf(rows, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		putchar('\n');
		return;
	}
	if (n == 0)
		return;
	cells = xcalloc((n + 1) * 4, sizeof(char *));
	cells[k++] = xstrdup("file");
	cells[k++] = xstrdup(what);
	cells[k++] = xstrdup(a);
	cells[k++] = xstrdup(b);
	for (i = 0; i < n; i++) {
		json_t *row = json_array_get(rows, i);

		cells[k++] = xstrdup(json_string_value(json_object_get(row, "file")));
		cells[k++] = xstrdup(json_string_value(json_object_get(row, "key")));
		cells[k++] = yjson_text(json_object_get(row, "old"));
		cells[k++] = yjson_text(json_object_get(row, "new"));
	}
	cmd_table(cells, 4, n + 1);
	for (i = 0; i < k; i++)
		free(cells[i]);
	free(cells);
}

static const struct cairn_error *params_diff(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	const char *a = c->argc > 0 ? c->argv[0] : NULL, *b = c->argc > 1 ? c->argv[1] : NULL;
	json_t *va = NULL, *vb = NULL, *rows;

	if ((e = valdiff_load_pair(&va, &vb, c->repo, a, b, VALDIFF_PARAMS)) != NULL)
		return e;
	rows = valdiff_diff(va, vb, opt_given(c, PD_ALL));
	params_print(rows, "param", a ? a : "HEAD", b ? b : "workspace", opt_given(c, PD_JSON));
	json_decref(rows);
	json_decref(va);
	json_decref(vb);
	return NULL;
}

static const struct cmd_entry params_diff_entry = {
	.name = "params diff",
	.args = "[A [B]]",
	.summary = "show params that differ between revisions A (HEAD) and B (the workspace)",
	.opts = params_diff_opts,
	.min_args = 0,
	.max_args = 2,
	.flags = CMD_NEEDS_INIT,
	.run = params_diff,
};

static const struct cairn_error *cmd_params(struct cmd_ctx *c)
{
	static const struct cmd_entry *const subs[] = { &params_diff_entry, NULL };

	return cmd_subcommand(c, subs);
}

const struct cmd_entry cmd_params_entry = {
	.name = "params",
	.args = "diff [A [B]]",
	.summary = "compare the pipeline's params between revisions",
	.opts = NULL,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NO_OPTS,
	.run = cmd_params,
};
