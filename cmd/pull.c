/*
 * pull.c: cairn pull [PATH...]: fetch, then check out. An output is
 * checked out only when every object it needs is in the cache, so a
 * missing object leaves its workspace data exactly as it was; the
 * checkout refuses to lose uncommitted data unless --force.
 * See cairn-pull(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>

#include "cmd/xfer.h"
#include "core/revset.h"
#include "core/buf.h"
#include "core/checkout.h"
#include "core/work.h"
#include "remotes/remote.h"

static const struct opt_spec pull_opts[] = {
	{ 'r', "remote", "NAME", "pull from this remote instead of core.remote" },
	{ 'j', "jobs", "N", "transfers at a time (default: remote.NAME.jobs)" },
	{ 'f', "force", NULL, "overwrite and delete workspace data that is not in the cache" },
	CMD_XFER_REV_OPTS,
	{ 0, NULL, NULL, NULL },
};

enum { PULL_REMOTE, PULL_JOBS, PULL_FORCE, PULL_REV };

/* Check out every complete output; the last failure is returned. */
static const struct cairn_error *pull_checkout(struct cmd_ctx *c, struct cmd_xfer *x,
					       const struct xfer_result *res)
{
	const struct cairn_error *e;
	struct checkout_opts co = { 0 };
	struct err_copy last;
	size_t k, failed = 0;
	struct work w;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	co.force = opt_given(c, PULL_FORCE);
	for (k = 0; k < x->nwork; k++) { /* the workspace's outputs only */
		struct checkout_result cr;

		if (!res->outs[k].complete)
			continue; /* named by the missing-object error */
		if ((e = cmd_cancelled(NULL)) != NULL)
			break;
		e = checkout_out(&cr, &w, &x->outs.v[k], &co);
		if (e) {
			if (failed++)
				cmd_report(err_load(&last));
			err_save(&last, e);
			e = NULL;
			continue;
		}
		if (!c->quiet && (cr.written || cr.removed))
			printf("restored %s\n", x->outs.v[k].rel);
	}
	work_close(&w);
	if (e == NULL && failed)
		e = err_load(&last);
	return e;
}

/* The missing objects, and the outputs left as they were because of them. */
static const struct cairn_error *pull_missing(const struct cmd_xfer *x,
					      const struct xfer_result *res)
{
	const struct cairn_error *e;
	struct buf outs = BUF_INIT;
	char what[160];
	size_t k, n = 0;

	snprintf(what, sizeof(what), "not on remote '%s'", x->remote->name);
	if ((e = cmd_xfer_missing(res, what)) == NULL)
		return NULL;
	buf_init(&outs);
	for (k = 0; k < x->nwork; k++)
		if (!res->outs[k].complete && n++ < 5)
			buf_addf(&outs, "%s'%s'", n > 1 ? ", " : "", x->outs.v[k].rel);
	if (n > 5)
		buf_addf(&outs, " and %zu more", n - 5);
	if (n == 0) { /* only other revisions' data is missing */
		buf_release(&outs);
		return err_hint(e, "push them from a clone that has them, then pull again");
	}
	e = err_hint(err_new(e->code, "%s; left as %s: %s", e->msg, n == 1 ? "it was" : "they were",
			     outs.s),
		     "push them from a clone that has them, then pull again");
	buf_release(&outs);
	return e;
}

static const struct cairn_error *cmd_pull(struct cmd_ctx *c)
{
	const struct cairn_error *e, *miss;
	struct xfer_result res;
	struct revset_opts revs;
	struct cmd_xfer x;

	cmd_xfer_revs(&revs, c, PULL_REV);
	e = cmd_xfer_open_revs(&x, c, opt_str(c, PULL_REMOTE), opt_str(c, PULL_JOBS), &revs);
	if (e)
		return e;
	e = xfer_fetch(&res, x.remote, x.cache, &x.outs, &x.opts);
	cmd_xfer_progress_done(&x);
	if (e == NULL && !c->quiet && res.transferred)
		printf("fetched %llu object%s (%s) from '%s'\n", (unsigned long long)res.transferred,
		       res.transferred == 1 ? "" : "s", cmd_size(res.bytes), x.remote->name);
	if (e == NULL)
		e = pull_checkout(c, &x, &res);
	miss = pull_missing(&x, &res);
	if (miss && e) {
		cmd_report(e);
		e = NULL;
	}
	if (e == NULL && miss)
		e = miss;
	xfer_result_release(&res);
	cmd_xfer_close(&x);
	return e;
}

const struct cmd_entry cmd_pull_entry = {
	.name = "pull",
	.args = "[PATH...]",
	.summary = "fetch the data of tracked outputs and check it out",
	.opts = pull_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_pull,
};
