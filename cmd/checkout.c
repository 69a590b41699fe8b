/*
 * checkout.c: cairn checkout [PATH...]: restore tracked outputs from the
 * cache. Refuses to overwrite or delete data that is not in the cache
 * unless --force, and never prompts. See cairn-checkout(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/checkout.h"
#include "core/out.h"
#include "core/repo.h"
#include "core/stageout.h"
#include "core/work.h"

static const struct opt_spec checkout_opts[] = {
	{ 'f', "force", NULL, "overwrite and delete data that is not in the cache" },
	{ 0, "relink", NULL, "place every file again, following cache.type" },
	{ 'q', "quiet", NULL, "print nothing" },
	{ 0, NULL, NULL, NULL },
};

enum { CHECKOUT_FORCE, CHECKOUT_RELINK, CHECKOUT_QUIET };

static void checkout_on_progress(uint64_t done, uint64_t total, void *arg)
{
	progress_update(arg, done, total, 0, 0);
}

static const struct cairn_error *cmd_checkout(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct out_list outs = OUT_LIST_INIT;
	struct checkout_opts co = { 0 };
	bool quiet = c->quiet || opt_given(c, CHECKOUT_QUIET);
	size_t i, failed = 0;
	bool in_git;
	struct err_copy last;
	struct work w;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	co.force = opt_given(c, CHECKOUT_FORCE);
	co.relink = opt_given(c, CHECKOUT_RELINK);
	e = stageout_collect(&outs, c->repo, c->argv, c->argc);
	for (i = 0; e == NULL && i < outs.n; i++) {
		struct checkout_result res;
		struct cmd_ctx q = *c;
		const struct cairn_error *oe;
		struct progress *prog;

		if ((e = cmd_cancelled(NULL)) != NULL)
			break;
		if (!quiet && repo_git_tracked(&in_git, c->repo, outs.v[i].rel) == NULL && in_git)
			cmd_warn("'%s' is tracked by both git and cairn; run: git rm --cached '%s'",
				 outs.v[i].rel, outs.v[i].rel);
		q.quiet = quiet;
		prog = progress_new(&q, outs.v[i].rel);
		co.progress = checkout_on_progress;
		co.progress_arg = prog;
		oe = checkout_out(&res, &w, &outs.v[i], &co);
		progress_done(prog);
		if (oe) {
			if (failed++)
				cmd_report(err_load(&last));
			err_save(&last, oe);
			continue;
		}
		if (!quiet && (res.written || res.removed))
			printf("restored %s\n", outs.v[i].rel);
	}
	if (e == NULL && failed)
		e = failed == 1 ? err_load(&last)
				: (cmd_report(err_load(&last)),
				   err_new(last.code, "%zu outputs were not checked out", failed));
	out_list_release(&outs);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_checkout_entry = {
	.name = "checkout",
	.args = "[PATH...]",
	.summary = "restore tracked outputs in the workspace from the cache",
	.opts = checkout_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_checkout,
};
