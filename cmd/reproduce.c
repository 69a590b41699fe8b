/*
 * reproduce.c: cairn reproduce [REV]: run a revision's pipeline again in a
 * temporary worktree and say, per recorded output, whether the new run made
 * the same bytes. Exit 0 only when all are identical. See cairn-reproduce(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "core/reproduce.h"

static const struct opt_spec reproduce_opts[] = {
	{ 0, "keep", NULL, "keep the worktree the run happened in" },
	{ 'q', "quiet", NULL, "print only the outputs that are not identical" },
	{ 0, NULL, NULL, NULL },
};

enum { RP_KEEP, RP_QUIET };

static const struct cairn_error *cmd_reproduce(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct reproduce_opts o = { 0 };
	struct reproduce_report rep;
	bool quiet = c->quiet || opt_given(c, RP_QUIET);
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t i, bad = 0;

	if (len <= 0)
		return err_errno("find the cairn binary");
	self[len] = '\0';
	o.self = self;
	o.keep = opt_given(c, RP_KEEP);
	/* the run's own output goes to stderr (or nowhere with -q), results to stdout */
	o.out_fd = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : 2;
	if (o.out_fd < 0)
		return err_errno("open /dev/null");
	o.cancel = cmd_cancelled;
	e = reproduce_run(&rep, c->repo, c->argc ? c->argv[0] : NULL, &o);
	if (o.out_fd > 2)
		close(o.out_fd);
	if (e)
		return e;
	for (i = 0; i < rep.n; i++) {
		if (rep.v[i].state != REPRODUCE_IDENTICAL)
			bad++;
		if (!quiet || rep.v[i].state != REPRODUCE_IDENTICAL)
			printf("%-9s %s (stage %s)\n", reproduce_state_name(rep.v[i].state),
			       rep.v[i].path, rep.v[i].stage);
	}
	if (rep.worktree)
		cmd_note("the run is kept in %s", rep.worktree);
	if (!rep.ran)
		e = err_new(CAIRN_ERR_FAILED, "reproducing %.7s failed: %s", rep.commit,
			    rep.failure);
	else if (bad)
		e = err_new(CAIRN_ERR_FAILED, "%zu of %zu outputs of %.7s differ from the record",
			    bad, rep.n, rep.commit);
	else if (!quiet)
		printf("reproduced %.7s: all %zu outputs identical\n", rep.commit, rep.n);
	reproduce_report_release(&rep);
	return e;
}

const struct cmd_entry cmd_reproduce_entry = {
	.name = "reproduce",
	.args = "[REV]",
	.summary = "run a revision's pipeline again and check every output is identical",
	.opts = reproduce_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_reproduce,
};
