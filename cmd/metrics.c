/*
 * metrics.c: cairn metrics show [REV] and cairn metrics diff [A [B]]: the
 * values of the pipeline's metrics files, in the workspace or at a revision
 * (read from Git objects), and how they changed. See cairn-metrics(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "core/valdiff.h"
#include "core/xmalloc.h"
#include "core/yjson.h"

static const struct opt_spec metrics_show_opts[] = {
	{ 0, "json", NULL, "print JSON" },
	{ 0, NULL, NULL, NULL },
};

static const struct opt_spec metrics_diff_opts[] = {
	{ 0, "all", NULL, "list unchanged metrics too" },
	{ 0, "json", NULL, "print JSON" },
	{ 0, NULL, NULL, NULL },
};

enum { MS_JSON };
enum { MD_ALL, MD_JSON };

static const struct cairn_error *metrics_show(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	json_t *v = NULL, *vals, *val;
	const char *file, *key;
	char **cells = NULL;
	size_t n = 0, cap = 0, i;

	if ((e = valdiff_load(&v, c->repo, c->argc ? c->argv[0] : NULL, VALDIFF_METRICS)))
		return e;
	if (opt_given(c, MS_JSON)) {
		json_dumpf(v, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_SORT_KEYS);
		putchar('\n');
		json_decref(v);
		return NULL;
	}
	json_object_foreach(v, file, vals) {
		json_object_foreach(vals, key, val) {
			XGROW(cells, n + 3, cap);
			cells[n++] = xstrdup(file);
			cells[n++] = xstrdup(key);
			cells[n++] = yjson_text(val);
		}
	}
	cmd_table(cells, 3, n / 3);
	for (i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
	json_decref(v);
	return NULL;
}

/* new - old: an integer when both are and it fits, else a real. New reference. */
static json_t *metrics_change(const json_t *o, const json_t *nw)
{
	json_int_t a, b;

	if (json_is_integer(o) && json_is_integer(nw)) {
		a = json_integer_value(o);
		b = json_integer_value(nw);
		if (a > 0 ? b >= LLONG_MIN + a : b <= LLONG_MAX + a)
			return json_integer(b - a);
	}
	return json_real(json_number_value(nw) - json_number_value(o));
}

static const struct cairn_error *metrics_diff(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	const char *a = c->argc > 0 ? c->argv[0] : NULL, *b = c->argc > 1 ? c->argv[1] : NULL;
	json_t *va = NULL, *vb = NULL, *rows;
	size_t i, n, k = 0;
	char **cells;

	if ((e = valdiff_load_pair(&va, &vb, c->repo, a, b, VALDIFF_METRICS)) != NULL)
		return e;
	rows = valdiff_diff(va, vb, opt_given(c, MD_ALL));
	n = json_array_size(rows);
	for (i = 0; i < n; i++) {
		json_t *row = json_array_get(rows, i), *o = json_object_get(row, "old"),
		       *nw = json_object_get(row, "new");

		if (json_is_number(o) && json_is_number(nw))
			json_object_set_new(row, "change", metrics_change(o, nw));
	}
	if (opt_given(c, MD_JSON)) {
		json_dumpf(rows, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		putchar('\n');
	} else if (n) {
		cells = xcalloc((n + 1) * 5, sizeof(char *));
		cells[k++] = xstrdup("file");
		cells[k++] = xstrdup("metric");
		cells[k++] = xstrdup(a ? a : "HEAD");
		cells[k++] = xstrdup(b ? b : "workspace");
		cells[k++] = xstrdup("change");
		for (i = 0; i < n; i++) {
			json_t *row = json_array_get(rows, i);

			cells[k++] = xstrdup(json_string_value(json_object_get(row, "file")));
			cells[k++] = xstrdup(json_string_value(json_object_get(row, "key")));
			cells[k++] = yjson_text(json_object_get(row, "old"));
			cells[k++] = yjson_text(json_object_get(row, "new"));
			cells[k++] = json_object_get(row, "change")
					     ? xasprintf("%+.6g", json_number_value(json_object_get(row, "change")))
					     : xstrdup("-");
		}
		cmd_table(cells, 5, n + 1);
		for (i = 0; i < k; i++)
			free(cells[i]);
		free(cells);
	}
	json_decref(rows);
	json_decref(va);
	json_decref(vb);
	return NULL;
}

static const struct cmd_entry metrics_show_entry = {
	.name = "metrics show",
	.args = "[REV]",
	.summary = "show the metrics of the workspace, or of revision REV",
	.opts = metrics_show_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NEEDS_INIT,
	.run = metrics_show,
};

static const struct cmd_entry metrics_diff_entry = {
	.name = "metrics diff",
	.args = "[A [B]]",
	.summary = "show metrics that differ between revisions A (HEAD) and B (the workspace)",
	.opts = metrics_diff_opts,
	.min_args = 0,
	.max_args = 2,
	.flags = CMD_NEEDS_INIT,
	.run = metrics_diff,
};

static const struct cairn_error *cmd_metrics(struct cmd_ctx *c)
{
	static const struct cmd_entry *const subs[] = { &metrics_show_entry, &metrics_diff_entry,
							NULL };

	return cmd_subcommand(c, subs);
}

const struct cmd_entry cmd_metrics_entry = {
	.name = "metrics",
	.args = "show|diff [ARGS]",
	.summary = "show the pipeline's metrics, or compare them between revisions",
	.opts = NULL,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NO_OPTS,
	.run = cmd_metrics,
};
