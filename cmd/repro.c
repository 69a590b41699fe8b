/*
 * repro.c: cairn repro [STAGE...]: bring the pipeline up to date: run the
 * stale stages in dependency order (independent ones at once with -j),
 * restoring identical earlier runs from the run cache, and record each run
 * in cairn.lock. See cairn-repro(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/par.h"
#include "core/repro.h"
#include "core/work.h"
#include "core/wtree.h"

static const struct opt_spec repro_opts[] = {
	{ 'f', "force", NULL, "run the stages even when they are up to date" },
	{ 'n', "dry-run", NULL, "say what would run, change nothing" },
	{ 'j', "jobs", "N", "run up to N independent stages at once" },
	{ 's', "single", NULL, "only the named stages, not what they depend on" },
	{ 0, "no-run-cache", NULL, "always run, never restore from the run cache" },
	{ 'q', "quiet", NULL, "print only errors (commands still print)" },
	{ 0, NULL, NULL, NULL },
};

enum { REPRO_FORCE, REPRO_DRY, REPRO_JOBS, REPRO_SINGLE, REPRO_NORC, REPRO_QUIET };

struct repro_print {
	bool quiet;
	int ran;
};

static void repro_on_event(enum repro_event ev, const char *stage, const char *detail, void *arg)
{
	struct repro_print *p = arg;

	if (ev == REPRO_RUNNING || ev == REPRO_RESTORED)
		p->ran++;
	if (p->quiet && ev != REPRO_FAILED)
		return;
	switch (ev) {
	case REPRO_UPTODATE:
		printf("stage '%s' is up to date\n", stage);
		break;
	case REPRO_FROZEN:
		printf("stage '%s' is frozen, not run\n", stage);
		break;
	case REPRO_WOULD_RUN:
		printf("would run stage '%s' (%s)\n", stage, detail);
		break;
	case REPRO_RUNNING:
		printf("running stage '%s' (%s)\n", stage, detail);
		break;
	case REPRO_RESTORED:
		printf("restored stage '%s' from the run cache\n", stage);
		break;
	case REPRO_DONE:
		printf("stage '%s' done\n", stage);
		break;
	case REPRO_FAILED:
		break; /* the error says it */
	}
	fflush(stdout);
}

static const struct cairn_error *cmd_repro(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct repro_opts o = { 0 };
	struct repro_print pr = { c->quiet || opt_given(c, REPRO_QUIET), 0 };
	struct work w;

	o.force = opt_given(c, REPRO_FORCE);
	o.dry_run = opt_given(c, REPRO_DRY);
	o.single = opt_given(c, REPRO_SINGLE);
	o.no_run_cache = opt_given(c, REPRO_NORC);
	o.jobs = 1;
	if (opt_given(c, REPRO_JOBS) &&
	    (e = par_jobs_parse(&o.jobs, "--jobs", opt_str(c, REPRO_JOBS), 256)) != NULL)
		return e;
	o.out_fd = -1;
	o.event = repro_on_event;
	o.event_arg = &pr;
	o.cancel = cmd_cancelled;
	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	e = repro_run(&w, c->argv, (size_t)c->argc, &o);
	work_close(&w);
	/* nobody commits in the temporary worktrees of reproduce and exp run */
	if (e == NULL && pr.ran && !pr.quiet && !o.dry_run && !wtree_is_temporary(c->repo))
		cmd_hint("record the run in git: "
			 "git add cairn.lock (and the metrics and .gitignore files)");
	return e;
}

const struct cmd_entry cmd_repro_entry = {
	.name = "repro",
	.args = "[STAGE...]",
	.summary = "run the stale stages of the pipeline and record them in cairn.lock",
	.opts = repro_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_repro,
};
