/*
 * hook.c: cairn hook NAME [ARGS...]: what the shims written by cairn
 * install run inside git (pre-commit, pre-push, post-checkout, post-merge,
 * post-rewrite). Does nothing where cairn is not initialised. See
 * cairn-hook(1) and cairn-hooks(5).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/work.h"
#include "hooks/hook.h"
#include "hooks/shim.h"

struct hook_ctx {
	struct cmd_ctx *c;
	bool warn_only;        /* pre-commit with hooks.precommit = warn */
	size_t not_cached, differs, missing, kept;
};

static void hook_line(const char *level, const struct cairn_error *e, const char *fmt, ...)
	CAIRN_PRINTF(3, 4);

static void hook_line(const char *level, const struct cairn_error *e, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "cairn: %s: ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, ": %s", e->msg);
	fputc('\n', stderr);
}

static void hook_on_note(enum hook_note n, const struct out *o, const struct cairn_error *e,
			 void *arg)
{
	struct hook_ctx *h = arg;
	const char *level = h->warn_only ? "warning" : "error";

	switch (n) {
	case HOOK_NOT_CACHED:
		h->not_cached++;
		hook_line(level, NULL, "'%s' is staged, but its data is not in the cache", o->ptr_rel);
		break;
	case HOOK_DIFFERS:
		h->differs++;
		hook_line(level, NULL, "'%s' differs from its staged pointer '%s'", o->rel, o->ptr_rel);
		break;
	case HOOK_RESTORED:
		if (!h->c->quiet)
			printf("cairn: restored %s\n", o->rel);
		break;
	case HOOK_KEPT:
		h->kept++;
		hook_line("warning", NULL, "kept the modified data of '%s'; its pointer changed "
					   "(to replace it: cairn checkout --force %s)", o->rel, o->rel);
		break;
	case HOOK_MISSING:
		h->missing++;
		hook_line("warning", NULL, "the data of '%s' is not in the cache", o->rel);
		break;
	case HOOK_FAILED:
		hook_line("error", e, "checkout of '%s' failed", o->rel);
		break;
	}
}

static const struct cairn_error *hook_pre_commit_run(struct hook_ctx *h, struct work *w)
{
	const struct cairn_error *e;
	size_t problems;

	if ((e = hook_precommit_warns(&h->warn_only, w)) != NULL)
		return e;
	if ((e = hook_pre_commit(&problems, w, getenv("GIT_INDEX_FILE"), hook_on_note, h)) != NULL)
		return e;
	if (problems == 0 || h->warn_only)
		return NULL;
	e = err_new(CAIRN_ERR_FAILED, "the commit is stopped: %zu staged output%s %s", problems,
		    problems == 1 ? "" : "s", problems == 1 ? "has a problem" : "have problems");
	if (h->differs && h->not_cached)
		return err_hint(e, "record data with 'cairn add PATH' and 'git add PATH.cairn' (or "
				   "discard the change: cairn checkout --force PATH); fetch missing "
				   "data with 'cairn fetch'");
	if (h->differs)
		return err_hint(e, "record the data with 'cairn add PATH' and 'git add PATH.cairn', "
				   "or discard the change with 'cairn checkout --force PATH'");
	return err_hint(e, "bring the data into the cache ('cairn add PATH' where it is, or "
			   "'cairn fetch'), or unstage the pointer with 'git restore --staged "
			   "PATH.cairn'");
}

static const struct cairn_error *hook_checkout_run(struct hook_ctx *h, struct work *w,
						   const char *prev)
{
	const struct cairn_error *e;
	size_t problems;

	if ((e = hook_checkout(&problems, w, prev, NULL, hook_on_note, h)) != NULL)
		return e;
	if (h->missing)
		fprintf(stderr, "cairn: hint: run 'cairn pull' to fetch the missing data\n");
	if (problems)
		return err_new(CAIRN_ERR_FAILED, "the data of %zu output%s could not be checked out",
			       problems, problems == 1 ? "" : "s");
	return NULL;
}

/*
 * Git's argument i of the hook, or (the pre-commit framework runs hooks
 * without git's arguments) its environment variable.
 */
static const char *hook_arg(const struct cmd_ctx *c, int i, const char *env)
{
	const char *v;

	if (i < c->argc)
		return c->argv[i];
	v = getenv(env);
	return v && *v ? v : NULL;
}

static bool hook_null_oid(const char *s)
{
	return strspn(s, "0") == strlen(s);
}

static const struct cairn_error *cmd_hook(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	const char *name = c->argv[0], *prev = NULL;
	struct hook_ctx h;
	struct work w;

	if (!shim_known(name))
		return err_new(CAIRN_ERR_USAGE, "unknown hook '%s'", name);
	if (!c->repo->initialised)
		return NULL; /* this revision does not use cairn */
	memset(&h, 0, sizeof(h));
	h.c = c;
	if (strcmp(name, "post-checkout") == 0) {
		const char *from = hook_arg(c, 1, "PRE_COMMIT_FROM_REF");
		const char *type = hook_arg(c, 3, "PRE_COMMIT_CHECKOUT_TYPE");

		if (from == NULL || type == NULL || strcmp(type, "1") != 0)
			return NULL; /* a file checkout, not a branch switch */
		prev = hook_null_oid(from) ? NULL : from;
	} else if (strcmp(name, "post-merge") == 0) {
		prev = "ORIG_HEAD";
	} else if (strcmp(name, "post-rewrite") == 0) {
		const char *how = hook_arg(c, 1, "PRE_COMMIT_REWRITE_COMMAND");

		if (how && strcmp(how, "amend") == 0)
			return NULL; /* the workspace did not change */
		prev = NULL; /* a rebase may have passed through other data: check all */
	}
	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	if (strcmp(name, "pre-commit") == 0)
		e = hook_pre_commit_run(&h, &w);
	else
		e = hook_checkout_run(&h, &w, prev);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_hook_entry = {
	.name = "hook",
	.args = "NAME [ARGS...]",
	.summary = "run the cairn part of a git hook (called by the installed hooks)",
	.opts = NULL,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_REPO | CMD_WRITES,
	.run = cmd_hook,
};
