/*
 * hook.c: cairn hook NAME [ARGS...]: what the shims written by cairn
 * install run inside git (pre-commit, pre-push, post-checkout, post-merge,
 * post-rewrite). Does nothing where cairn is not initialised. Only the
 * checkout hooks, which write the workspace, take the repository lock; the
 * checks of pre-commit and pre-push read, like cairn status and push. See
 * cairn-hook(1) and cairn-hooks(5).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/xfer.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "core/lockfile.h"
#include "core/lock.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/work.h"
#include "core/xmalloc.h"
#include "hooks/hook.h"
#include "hooks/shim.h"
#include "remotes/remote.h"
#include "remotes/xfer.h"

#define HOOK_INPUT_MAX (64u << 20)

struct hook_ctx {
	struct cmd_ctx *c;
	bool warn_only;        /* pre-commit with hooks.precommit = warn */
	bool quiet_missing;    /* core.autopull will fetch what is missing */
	size_t not_cached, differs, missing, kept, secrets;
};

static void hook_line(const char *level, const struct cairn_error *e, const char *fmt, ...)
	CAIRN_PRINTF(3, 4);

/*
 * One line "cairn: LEVEL: text[: error]" on stderr, control bytes escaped;
 * a NULL level gives "cairn: text" (one problem among those a single error
 * line sums up).
 */
static void hook_line(const char *level, const struct cairn_error *e, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	char prefix[32], text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_adds(&b, text);
	if (e)
		buf_addf(&b, ": %s", e->msg);
	snprintf(prefix, sizeof(prefix), "cairn: %s%s", level ? level : "", level ? ": " : "");
	fflush(stdout);
	cmd_print_line(stderr, prefix, b.s);
	buf_release(&b);
}

/* path as one shell word for a command to copy: quoted when needed, after "--" when it starts with '-' */
static char *hook_quote(const char *path)
{
	struct buf b = BUF_INIT;
	const char *p;

	buf_init(&b);
	if (path[0] == '-')
		buf_adds(&b, "-- ");
	if (path[strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			      "_-./+,:=@%")] == '\0') {
		buf_adds(&b, path);
		return buf_detach(&b);
	}
	buf_addch(&b, '\'');
	for (p = path; *p; p++) {
		if (*p == '\'')
			buf_adds(&b, "'\\''");
		else
			buf_addch(&b, *p);
	}
	buf_addch(&b, '\'');
	return buf_detach(&b);
}

static void hook_on_note(enum hook_note n, const struct out *o, const struct cairn_error *e,
			 void *arg)
{
	struct hook_ctx *h = arg;
	/* stopping the commit: the paths, then one error line that sums them up */
	const char *level = h->warn_only ? "warning" : NULL;

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
			cmd_print_line(stdout, "cairn: restored ", o->rel);
		break;
	case HOOK_KEPT: {
		char *q = hook_quote(o->rel), *what = NULL;

		h->kept++;
		/* a folder: say what in it would be lost */
		if (o->ptr->type == PTR_DIR && e && *e->msg)
			what = xasprintf(" (%s)", e->msg);
		hook_line("warning", NULL, "kept the modified data of '%s'%s; its %s changed (to "
					   "replace it: cairn checkout --force %s)", o->rel,
			  what ? what : "",
			  strcmp(o->ptr_rel, LOCKFILE_NAME) == 0 ? "record in cairn.lock" : "pointer",
			  q);
		free(what);
		free(q);
		break;
	}
	case HOOK_MISSING:
		if (h->quiet_missing)
			break; /* core.autopull fetches it next */
		h->missing++;
		hook_line("warning", NULL, "the data of '%s' is not in the cache", o->rel);
		break;
	case HOOK_FAILED:
		hook_line("error", e, "checkout of '%s' failed", o->rel);
		break;
	case HOOK_SECRET: /* stops the commit even with hooks.precommit = warn */
		h->secrets++;
		hook_line(NULL, NULL, "%s", e->msg);
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
	if (h->secrets)
		return err_hint(err_new(CAIRN_ERR_FAILED,
					"the commit is stopped: the staged .cairn/config holds %zu "
					"credential%s, which Git would share",
					h->secrets, h->secrets == 1 ? "" : "s"),
				"keep credentials in .cairn/config.local ('cairn config KEY VALUE' "
				"puts them there), then 'git config -f .cairn/config --unset KEY' "
				"and 'git add .cairn/config'");
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

/* core.autopull: fetch what the checkout missed from the default remote, then check it out. */
static const struct cairn_error *hook_pull_missing(struct hook_ctx *h, struct work *w,
						   struct out_list *missing, size_t *problems)
{
	const struct cairn_error *e;
	struct xfer_result res;
	struct xfer_opts xo;
	struct remote *rem;
	size_t more;

	memset(&xo, 0, sizeof(xo));
	xo.cancel = cmd_cancelled;
	if ((e = remote_open(&rem, w->repo->cfg, NULL, w->repo->root)) != NULL)
		return err_wrap(e, "core.autopull");
	e = xfer_fetch(&res, rem, w->cache, missing, &xo);
	if (e == NULL && !h->c->quiet && res.transferred)
		cmd_note("fetched %llu object%s (%s) from '%s'",
			(unsigned long long)res.transferred, res.transferred == 1 ? "" : "s",
			cmd_size(res.bytes), rem->name);
	xfer_result_release(&res);
	remote_close(rem);
	if (e)
		return err_wrap(e, "core.autopull");
	h->missing = 0;
	e = hook_checkout_outs(&more, w, missing, NULL, hook_on_note, h);
	*problems += more;
	return e;
}

static const struct cairn_error *hook_checkout_run(struct hook_ctx *h, struct work *w,
						   const char *prev)
{
	const struct cairn_error *e;
	struct out_list missing = OUT_LIST_INIT;
	size_t problems;
	bool autopull;

	if ((e = hook_autopull(&autopull, w)) != NULL)
		return e;
	h->quiet_missing = autopull;
	e = hook_checkout(&problems, w, prev, &missing, hook_on_note, h);
	h->quiet_missing = false;
	if (e == NULL && autopull && missing.n &&
	    (e = hook_pull_missing(h, w, &missing, &problems)) != NULL) {
		size_t i;

		/* the checkout itself went through: say what is still missing */
		hook_line("warning", e, "could not fetch the missing data");
		for (i = 0; i < missing.n; i++)
			hook_on_note(HOOK_MISSING, &missing.v[i], NULL, h);
		e = NULL;
	}
	out_list_release(&missing);
	if (e)
		return e;
	if (h->missing)
		cmd_hint("run 'cairn pull' to fetch the missing data");
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

/*
 * What git gives pre-push on standard input. The pre-commit framework keeps
 * it and passes PRE_COMMIT_TO_REF, or only PRE_COMMIT_LOCAL_BRANCH for a new
 * history; its FROM_REF may come from remote-tracking refs (C26), so nothing
 * is hidden then: the whole history of what is pushed is read.
 */
static const struct cairn_error *hook_push_input(struct buf *b, struct repo *r)
{
	const struct cairn_error *e;
	const char *to = getenv("PRE_COMMIT_TO_REF"), *branch = getenv("PRE_COMMIT_LOCAL_BRANCH");
	char hex[REV_HEXLEN + 1];

	if ((e = fs_read_fd(b, 0, HOOK_INPUT_MAX, "standard input")) != NULL)
		return e;
	if (strspn(b->s, " \n") != b->len || getenv("PRE_COMMIT") == NULL)
		return NULL;
	if ((e = rev_resolve(hex, r, to && *to ? to : branch && *branch ? branch : "HEAD")) != NULL)
		return e;
	buf_addf(b, "HEAD %s HEAD %040d\n", hex, 0);
	return NULL;
}

/* pre-push: a malformed pointer of an older pushed commit names nothing that can be sent. */
static void hook_on_bad(const char *ptr_rel, const struct cairn_error *e, const char *text,
			size_t len, void *arg)
{
	(void)ptr_rel;
	(void)text;
	(void)len;
	(void)arg;
	hook_line("warning", NULL, "%s; an older pushed commit, so its data is not sent", e->msg);
}

/* pre-push: send the data of the pushed commits to the default remote, or stop the push. */
static const struct cairn_error *hook_pre_push_run(struct hook_ctx *h, struct work *w)
{
	const struct cairn_error *e;
	struct out_list outs = OUT_LIST_INIT;
	struct xfer_result res;
	struct xfer_opts xo;
	struct remote *rem = NULL;
	struct buf in = BUF_INIT;
	size_t ntips, k, old = 0;

	buf_init(&in);
	memset(&res, 0, sizeof(res));
	if ((e = hook_push_input(&in, w->repo)) != NULL ||
	    (e = hook_pre_push_outs(&outs, &ntips, w->repo, in.s, hook_on_bad, h)) != NULL ||
	    outs.n == 0)
		goto done;
	e = remote_open(&rem, w->repo->cfg, NULL, w->repo->root);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "the pushed commits name data, but there is "
							  "no default remote to send it to"),
			     "add one with 'cairn remote add -d NAME URL'; 'git push --no-verify' "
			     "pushes without the data");
		goto done;
	}
	if (e)
		goto done;
	memset(&xo, 0, sizeof(xo));
	xo.cancel = cmd_cancelled;
	if ((e = xfer_push(&res, rem, w->cache, &outs, &xo)) != NULL)
		goto done;
	if (!h->c->quiet && res.transferred)
		cmd_note("pushed %llu object%s (%s) to '%s'",
			(unsigned long long)res.transferred, res.transferred == 1 ? "" : "s",
			cmd_size(res.bytes), rem->name);
	/* the pushed tips must be complete; older commits only get a warning */
	for (k = ntips; k < res.nouts; k++)
		if (res.outs[k].nowhere && old++ < 5)
			hook_line("warning", NULL, "'%s' of an older pushed commit is in neither the "
						   "cache nor '%s'", outs.v[k].rel, rem->name);
	buf_reset(&in);
	for (k = 0, old = 0; k < ntips && k < res.nouts; k++)
		if (res.outs[k].nowhere && old++ < 5)
			buf_addf(&in, "%s'%s'", in.len ? ", " : "", outs.v[k].rel);
	if (old)
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "not in the cache: %s%s", in.s,
				     old > 5 ? " and more" : ""),
			     "fetch or add that data where it exists, then push again "
			     "('git push --no-verify' pushes without it)");
done:
	if (e && !err_is(e, CAIRN_ERR_USAGE))
		e = err_wrap(e, "the push is stopped: its data could not be sent%s%s%s",
			     rem ? " to '" : "", rem ? rem->name : "", rem ? "'" : "");
	xfer_result_release(&res);
	remote_close(rem);
	out_list_release(&outs);
	buf_release(&in);
	return e;
}

static bool hook_null_oid(const char *s)
{
	return strspn(s, "0") == strlen(s);
}

static const struct cairn_error *cmd_hook(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	const char *name = c->argv[0], *prev = NULL;
	struct lock *lk = NULL, *clk = NULL;
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
	if (strcmp(name, "pre-commit") != 0 && strcmp(name, "pre-push") != 0 &&
	    ((e = cmd_lock(&lk, c)) != NULL || (e = cmd_cache_lock(&clk, c, false)) != NULL)) {
		lock_release(lk);
		return e;
	}
	if ((e = cmd_work_open(&w, c)) != NULL) {
		lock_release(clk);
		lock_release(lk);
		return e;
	}
	if (strcmp(name, "pre-commit") == 0)
		e = hook_pre_commit_run(&h, &w);
	else if (strcmp(name, "pre-push") == 0)
		e = hook_pre_push_run(&h, &w);
	else
		e = hook_checkout_run(&h, &w, prev);
	work_close(&w);
	lock_release(clk);
	lock_release(lk);
	return e;
}

const struct cmd_entry cmd_hook_entry = {
	.name = "hook",
	.args = "NAME [ARGS...]",
	.summary = "run the cairn part of a git hook (called by the installed hooks)",
	.opts = NULL,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_REPO, /* the checkout hooks take the lock themselves */
	.run = cmd_hook,
};
