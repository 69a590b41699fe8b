/*
 * fetch.c: cairn fetch [PATH...]: bring the objects tracked outputs need
 * from a remote into the cache, hash-verified; the workspace is not
 * touched (cairn pull also checks out). See cairn-fetch(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>

#include "cmd/xfer.h"
#include "core/revset.h"
#include "remotes/remote.h"

static const struct opt_spec fetch_opts[] = {
	{ 'r', "remote", "NAME", "fetch from this remote instead of core.remote" },
	{ 'j', "jobs", "N", "transfers at a time (default: remote.NAME.jobs)" },
	CMD_XFER_REV_OPTS,
	{ 0, NULL, NULL, NULL },
};

enum { FETCH_REMOTE, FETCH_JOBS, FETCH_REV };

static const struct cairn_error *cmd_fetch(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct xfer_result res;
	struct revset_opts revs;
	struct cmd_xfer x;

	cmd_xfer_revs(&revs, c, FETCH_REV);
	e = cmd_xfer_open_revs(&x, c, opt_str(c, FETCH_REMOTE), opt_str(c, FETCH_JOBS), &revs);
	if (e)
		return e;
	e = xfer_fetch(&res, x.remote, x.cache, &x.outs, &x.opts);
	cmd_xfer_progress_done(&x);
	if (e == NULL && !c->quiet) {
		if (x.outs.n == 0)
			printf("no tracked outputs\n");
		else if (res.transferred)
			printf("fetched %llu object%s (%s) from '%s'\n",
			       (unsigned long long)res.transferred, res.transferred == 1 ? "" : "s",
			       cmd_size(res.bytes), x.remote->name);
		else if (res.nmissing == 0)
			printf("everything is in the cache already (%llu object%s)\n",
			       (unsigned long long)res.needed, res.needed == 1 ? "" : "s");
	}
	if (e == NULL) {
		char what[160];

		snprintf(what, sizeof(what), "not on remote '%s'", x.remote->name);
		if ((e = cmd_xfer_missing(&res, what)) != NULL)
			e = err_hint(e, "push them from a clone that has them");
	}
	xfer_result_release(&res);
	cmd_xfer_close(&x);
	return e;
}

const struct cmd_entry cmd_fetch_entry = {
	.name = "fetch",
	.args = "[PATH...]",
	.summary = "bring the data of tracked outputs from a remote into the cache",
	.opts = fetch_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_fetch,
};
