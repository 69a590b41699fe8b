/*
 * fsck.c: cairn fsck [--repair]: rehash every cache object on all cores
 * and check the manifests the workspace's pointers reach; corrupt objects
 * are reported (exit 1) and, with --repair, moved to .cairn/tmp/quarantine/,
 * never deleted. See cairn-fsck(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/fsck.h"
#include "core/lock.h"
#include "core/out.h"
#include "core/work.h"

static const struct opt_spec fsck_opts[] = {
	{ 0, "repair", NULL, "move corrupt objects to .cairn/tmp/quarantine/" },
	{ 'j', "jobs", "N", "hash on N threads (default: one per CPU)" },
	{ 'q', "quiet", NULL, "print nothing but errors" },
	{ 0, NULL, NULL, NULL },
};

enum { FSCK_REPAIR, FSCK_JOBS, FSCK_QUIET };

struct fsck_print {
	bool quiet;
	struct progress *prog;
};

static void fsck_on_problem(enum fsck_problem kind, const struct oid *id, const char *path,
			    const char *msg, const char *moved_to, void *arg)
{
	struct fsck_print *p = arg;

	if (p->quiet)
		return;
	progress_clear(p->prog);
	switch (kind) {
	case FSCK_CORRUPT:
		printf("corrupt: %s (%s)", oid_hex(id), msg);
		if (moved_to)
			printf("; moved to '%s'", moved_to);
		putchar('\n');
		break;
	case FSCK_BAD_MANIFEST:
		printf("bad manifest: %s (%s): %s\n", oid_hex(id), path, msg);
		break;
	case FSCK_MISSING:
		printf("missing: %s (%s)\n", oid_hex(id), path);
		break;
	}
}

static void fsck_on_progress(uint64_t objects, uint64_t total, uint64_t bytes,
			     uint64_t bytes_total, void *arg)
{
	progress_update(((struct fsck_print *)arg)->prog, objects, total, bytes, bytes_total);
}

static const struct cairn_error *cmd_fsck(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct out_list outs = OUT_LIST_INIT;
	struct fsck_opts fo = { 0 };
	struct fsck_print p = { 0 };
	struct fsck_result res;
	struct lock *lk = NULL;
	uint64_t bad;
	struct work w;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	p.quiet = c->quiet || opt_given(c, FSCK_QUIET);
	if ((e = out_collect_all(&outs, c->repo)) != NULL)
		goto done;
	fo.repair = opt_given(c, FSCK_REPAIR);
	fo.jobs = w.digest.jobs;
	if (opt_given(c, FSCK_JOBS) && (e = cmd_jobs(&fo.jobs, opt_str(c, FSCK_JOBS))) != NULL)
		goto done;
	/* only a repair writes: a plain check never waits for the lock */
	if (fo.repair && (e = cmd_lock(&lk, c)) != NULL)
		goto done;
	fo.on_problem = fsck_on_problem;
	fo.progress = fsck_on_progress;
	fo.arg = &p;
	fo.cancel = cmd_cancelled;
	if (!p.quiet)
		p.prog = progress_new(c, "fsck");
	progress_unit(p.prog, "objects");
	e = fsck_run(&res, w.cache, &outs, &fo);
	progress_done(p.prog);
	if (e)
		goto done;
	bad = res.corrupt + res.bad_manifests + res.missing;
	if (!p.quiet)
		printf("checked %llu object%s (%s): %llu corrupt, %llu bad manifest%s, %llu missing\n",
		       (unsigned long long)res.objects, res.objects == 1 ? "" : "s",
		       cmd_size(res.bytes), (unsigned long long)res.corrupt,
		       (unsigned long long)res.bad_manifests, res.bad_manifests == 1 ? "" : "s",
		       (unsigned long long)res.missing);
	if (!p.quiet && res.absent_roots)
		printf("%llu tracked output%s not in the cache (not fetched, or moved aside)\n",
		       (unsigned long long)res.absent_roots, res.absent_roots == 1 ? " is" : "s are");
	if (res.corrupt && fo.repair)
		e = err_hint(err_new(CAIRN_ERR_CORRUPT,
				     "%llu corrupt object%s moved to the quarantine",
				     (unsigned long long)res.corrupt, res.corrupt == 1 ? "" : "s"),
			     "fetch good copies with 'cairn pull' (or 'cairn add' the data again)");
	else if (res.corrupt)
		e = err_hint(err_new(CAIRN_ERR_CORRUPT, "%llu corrupt object%s in the cache",
				     (unsigned long long)res.corrupt, res.corrupt == 1 ? "" : "s"),
			     "run 'cairn fsck --repair' to move them aside, then fetch good copies");
	else if (bad)
		e = err_hint(err_new(CAIRN_ERR_CORRUPT, "%llu problem%s in the cache",
				     (unsigned long long)bad, bad == 1 ? "" : "s"),
			     "fetch what is missing with 'cairn pull'");
done:
	out_list_release(&outs);
	work_close(&w);
	lock_release(lk);
	return e;
}

const struct cmd_entry cmd_fsck_entry = {
	.name = "fsck",
	.args = "",
	.summary = "check that every cache object matches its name and manifests are whole",
	.opts = fsck_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_fsck,
};
