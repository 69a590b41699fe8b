/*
 * push.c: cairn push [PATH...]: send the objects tracked outputs need to a
 * remote: file objects first, then manifests leaves first, asking the
 * remote what it has (nothing it holds is sent again); --verify then reads
 * every object back and sends a damaged one again. Takes no lock: it only
 * reads the cache. See cairn-push(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>

#include "cmd/xfer.h"
#include "core/revset.h"
#include "remotes/remote.h"

static const struct opt_spec push_opts[] = {
	{ 'r', "remote", "NAME", "push to this remote instead of core.remote" },
	{ 'j', "jobs", "N", "transfers at a time (default: remote.NAME.jobs)" },
	{ 0, "verify", NULL, "then read every object back, and replace a damaged one" },
	CMD_XFER_REV_OPTS,
	{ 0, NULL, NULL, NULL },
};

enum { PUSH_REMOTE, PUSH_JOBS, PUSH_VERIFY, PUSH_REV };

/* Read back what the outputs need from the remote, hash-checking every byte. */
static const struct cairn_error *push_verify(struct cmd_ctx *c, struct cmd_xfer *x)
{
	const struct cairn_error *e;
	struct xfer_result res;

	e = xfer_verify(&res, x->remote, x->cache, &x->outs, &x->opts);
	cmd_xfer_progress_done(x);
	if (err_is(e, CAIRN_ERR_CORRUPT))
		e = err_hint(e, "the cache has no good copy to send, or the remote damaged it again: "
				"run 'cairn push --verify' from a clone that has the data");
	if (e == NULL && (e = cmd_xfer_missing(&res, "not on the remote after the push")) != NULL)
		e = err_hint(e, "push again; if it keeps failing, the remote loses data");
	if (e == NULL && !c->quiet && res.repaired)
		printf("replaced %llu damaged object%s on '%s' with the cache's cop%s\n",
		       (unsigned long long)res.repaired, res.repaired == 1 ? "" : "s",
		       x->remote->name, res.repaired == 1 ? "y" : "ies");
	if (e == NULL && !c->quiet)
		printf("verified %llu object%s (%s) on '%s'\n", (unsigned long long)res.transferred,
		       res.transferred == 1 ? "" : "s", cmd_size(res.bytes), x->remote->name);
	xfer_result_release(&res);
	return e;
}

static const struct cairn_error *cmd_push(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct xfer_result res;
	struct revset_opts revs;
	struct cmd_xfer x;

	cmd_xfer_revs(&revs, c, PUSH_REV);
	e = cmd_xfer_open_revs(&x, c, opt_str(c, PUSH_REMOTE), opt_str(c, PUSH_JOBS), &revs);
	if (e)
		return e;
	e = xfer_push(&res, x.remote, x.cache, &x.outs, &x.opts);
	cmd_xfer_progress_done(&x);
	if (e == NULL && !c->quiet) {
		if (x.outs.n == 0)
			printf("no tracked outputs\n");
		else if (res.transferred)
			printf("pushed %llu object%s (%s) to '%s'\n",
			       (unsigned long long)res.transferred, res.transferred == 1 ? "" : "s",
			       cmd_size(res.bytes), x.remote->name);
		else if (res.nmissing == 0)
			printf("everything is on '%s' already (%llu object%s)\n", x.remote->name,
			       (unsigned long long)res.needed, res.needed == 1 ? "" : "s");
	}
	if (e == NULL && (e = cmd_xfer_missing(&res, "not in the cache, not pushed")) != NULL)
		e = err_hint(e, "fetch or add the data where it exists, then push again");
	if (e == NULL && opt_given(c, PUSH_VERIFY) && x.outs.n)
		e = push_verify(c, &x);
	xfer_result_release(&res);
	cmd_xfer_close(&x);
	return e;
}

const struct cmd_entry cmd_push_entry = {
	.name = "push",
	.args = "[PATH...]",
	.summary = "send the data of tracked outputs to a remote",
	.opts = push_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_push,
};
