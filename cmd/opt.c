/*
 * opt.c: option tables over getopt_long: the short and long option arrays,
 * the usage line and --help text are all generated from one table.
 */
#include "buildconf.h"

#include "cmd/opt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"

static int opt_count(const struct opt_spec *o)
{
	int n = 0;

	while (o && o[n].long_name)
		n++;
	return n;
}

void opt_usage_line(struct buf *b, const struct cmd_entry *ce)
{
	const struct opt_spec *o = ce->opts;
	int i, n = opt_count(o);

	buf_addf(b, "usage: cairn %s", ce->name);
	for (i = 0; i < n; i++) {
		/* an option its help calls required is shown without brackets */
		bool required = strstr(o[i].help, "(required)") != NULL;

		buf_adds(b, required ? " " : " [");
		if (o[i].short_name)
			buf_addf(b, "-%c", o[i].short_name);
		else
			buf_addf(b, "--%s", o[i].long_name);
		if (o[i].arg)
			buf_addf(b, " %s", o[i].arg);
		if (!required)
			buf_addch(b, ']');
	}
	if (ce->args && *ce->args)
		buf_addf(b, " %s", ce->args);
}

void opt_help(struct buf *b, const struct cmd_entry *ce)
{
	const struct opt_spec *o = ce->opts;
	int i, n = opt_count(o);

	opt_usage_line(b, ce);
	buf_addf(b, "\n\n%s\n", ce->summary);
	/* -h at least follows, so the heading always has something under it */
	buf_adds(b, "\noptions:\n");
	for (i = 0; i < n; i++) {
		char left[64];

		if (o[i].short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o[i].short_name, o[i].long_name,
				 o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o[i].long_name,
				 o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		buf_addf(b, "  %-26s %s\n", left, o[i].help);
	}
	for (i = 0; i < n; i++)
		if (o[i].short_name == 'q')
			break;
	if (i == n && !(ce->flags & CMD_NO_OPTS))
		buf_addf(b, "  %-26s %s\n", "-q, --quiet", "print nothing but errors");
	buf_addf(b, "  %-26s %s\n", "-h, --help", "show this help");
	/* a subcommand ("exp run") is in its command's page */
	buf_addf(b, "\nSee 'man cairn-%.*s' for more.\n", (int)strcspn(ce->name, " "), ce->name);
}

const struct cairn_error *opt_parse(struct opt_values *v, int *argc, char ***argv,
				    const struct cmd_entry *ce, bool *help)
{
	const struct opt_spec *o = ce->opts;
	int n = opt_count(o), i, c, idx, extra = n + 1;
	struct option *lo = xcalloc((size_t)n + 3, sizeof(*lo));
	bool own_q = false;
	struct buf shortopts = BUF_INIT;
	char **orig;
	const struct cairn_error *e = NULL;

	memset(v, 0, sizeof(*v));
	v->dashdash = -1;
	*help = false;
	buf_init(&shortopts);
	buf_adds(&shortopts, ":h"); /* ':' first: report missing arguments as ':' */
	for (i = 0; i < n; i++) {
		lo[i].name = o[i].long_name;
		lo[i].has_arg = o[i].arg ? required_argument : no_argument;
		lo[i].val = 256 + i;
		if (o[i].short_name) {
			buf_addch(&shortopts, (char)o[i].short_name);
			if (o[i].arg)
				buf_addch(&shortopts, ':');
		}
	}
	lo[n].name = "help";
	lo[n].val = 'h';
	for (i = 0; i < n; i++)
		own_q |= o[i].short_name == 'q' || strcmp(o[i].long_name, "quiet") == 0;
	if (!own_q) {
		/* every command takes -q, as git's do; the table may give it its own meaning */
		lo[extra].name = "quiet";
		lo[extra].val = 'q';
		buf_addch(&shortopts, 'q');
	}
	orig = xcalloc((size_t)*argc + 1, sizeof(char *));
	memcpy(orig, *argv, (size_t)*argc * sizeof(char *));
	optind = 0; /* full reinitialisation in glibc */
	opterr = 0;
	while ((c = getopt_long(*argc, *argv, shortopts.s, lo, &idx)) != -1) {
		int row = -1;

		if (c == 'h') {
			*help = true;
			continue;
		}
		if (c == 'q' && !own_q) {
			v->quiet = true;
			continue;
		}
		if (c == '?' || c == ':') {
			const char *bad = (*argv)[optind - 1];

			if (c == ':')
				e = err_new(CAIRN_ERR_USAGE, "option '%s' needs an argument", bad);
			else if (optopt)
				e = err_new(CAIRN_ERR_USAGE, "unknown option '-%c'", optopt);
			else
				e = err_new(CAIRN_ERR_USAGE, "unknown option '%s'", bad);
			break;
		}
		if (c >= 256)
			row = c - 256;
		else
			for (i = 0; i < n; i++)
				if (o[i].short_name == c)
					row = i;
		if (row < 0 || row >= OPT_MAX)
			continue;
		v->count[row]++;
		if (o[row].arg) {
			v->vals[row] = xreallocarray(v->vals[row], (size_t)v->count[row],
						     sizeof(char *));
			v->vals[row][v->count[row] - 1] = optarg;
		}
	}
	free(lo);
	buf_release(&shortopts);
	if (e == NULL) {
		/*
		 * glibc consumes "--" and leaves it just before the positional
		 * arguments; those after it were not moved, so they are counted
		 * back from the end.
		 */
		if (optind > 1 && optind <= *argc && strcmp((*argv)[optind - 1], "--") == 0) {
			for (i = 0; i < *argc; i++)
				if (orig[i] == (*argv)[optind - 1])
					break;
			if (i < *argc && (*argc - optind) - (*argc - (i + 1)) >= 0)
				v->dashdash = (*argc - optind) - (*argc - (i + 1));
		}
		*argc -= optind;
		*argv += optind;
	}
	free(orig);
	return e;
}

void opt_values_release(struct opt_values *v)
{
	int i;

	for (i = 0; i < OPT_MAX; i++)
		free(v->vals[i]);
}

bool opt_given(const struct cmd_ctx *c, int row)
{
	return c->opt && c->opt->count[row] > 0;
}

const char *opt_str(const struct cmd_ctx *c, int row)
{
	if (!c->opt || c->opt->count[row] == 0 || c->opt->vals[row] == NULL)
		return NULL;
	return c->opt->vals[row][c->opt->count[row] - 1];
}

size_t opt_list(const struct cmd_ctx *c, int row, const char ***vals)
{
	if (!c->opt || c->opt->vals[row] == NULL) {
		*vals = NULL;
		return 0;
	}
	*vals = c->opt->vals[row];
	return (size_t)c->opt->count[row];
}
