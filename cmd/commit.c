/*
 * commit.c: cairn commit [PATH...]: record the current workspace content of
 * tracked outputs (store it in the cache and update the pointers).
 * See cairn-commit(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/add.h"
#include "core/out.h"
#include "core/work.h"

static const struct opt_spec commit_opts[] = {
	{ 'q', "quiet", NULL, "print nothing" },
	{ 0, NULL, NULL, NULL },
};

enum { COMMIT_QUIET };

static const struct cairn_error *cmd_commit(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct out_list outs = OUT_LIST_INIT;
	bool quiet = c->quiet || opt_given(c, COMMIT_QUIET), any = false;
	struct work w;
	size_t i;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	e = c->argc ? out_collect_args(&outs, c->repo, c->argv, c->argc)
		    : out_collect_all(&outs, c->repo);
	for (i = 0; e == NULL && i < outs.n; i++) {
		struct add_result res;
		struct cmd_ctx q = *c;
		struct progress *prog;

		q.quiet = quiet;
		prog = progress_new(&q, outs.v[i].rel);
		w.digest.progress = cmd_digest_progress;
		w.digest.progress_arg = prog;
		e = add_path(&res, &w, outs.v[i].rel);
		progress_done(prog);
		w.digest.progress = NULL;
		if (err_is(e, CAIRN_ERR_NOT_FOUND))
			e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "'%s' is missing from the workspace",
					     outs.v[i].rel),
				     "restore it with 'cairn checkout', or stop tracking it");
		if (e)
			break;
		any |= res.changed;
		if (!quiet && res.changed)
			printf("committed %s\n", outs.v[i].rel);
	}
	if (e == NULL && !quiet && !any)
		printf("nothing to commit\n");
	out_list_release(&outs);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_commit_entry = {
	.name = "commit",
	.args = "[PATH...]",
	.summary = "record the current content of tracked outputs",
	.opts = commit_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_commit,
};
