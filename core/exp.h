/*
 * exp.h: experiments (DESIGN 9). Each runs in its own temporary worktree of
 * HEAD (wtree.h) that shares the cache: the workspace's uncommitted changes
 * to files Git sees are copied in, params are set (-S), outputs are checked
 * out and `cairn repro` runs there, so the user's workspace is never
 * touched. A finished experiment is a commit (params, lock, metrics) made
 * with libgit2 whose parent is the baseline, under
 * refs/cairn/exps/<baseline short id>/<name>. A failed one leaves no ref and
 * no worktree, only its log and a record under .cairn/tmp/exps/. Not
 * thread-safe.
 */
#ifndef CAIRN_CORE_EXP_H
#define CAIRN_CORE_EXP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/error.h"
#include "core/par.h"

struct repo;

#define EXP_REF_PREFIX "refs/cairn/exps/"
#define EXP_SHORT 7

/* Called as each experiment starts (detail NULL) and ends (detail: NULL ok, else the failure). */
typedef void (*exp_event_cb)(const char *name, bool done, const char *detail, const char *log,
			     void *arg);

struct exp_spec {
	char *name;  /* experiment name */
	char **set;  /* "[FILE:]KEY=VALUE" changes */
	size_t nset;
};

struct exp_run_opts {
	const char *self;    /* the cairn binary to run in the worktrees */
	int jobs;            /* experiments at once */
	exp_event_cb event;
	void *event_arg;
	par_cancel_cb cancel;
	void *cancel_arg;
};

/*
 * Expand -S values into experiments: KEY=V1,V2 gives one experiment per
 * value (a grid over several -S). name names a single experiment, or is the
 * prefix of several (NAME-1, NAME-2, ...); NULL makes names from the values.
 */
const struct cairn_error *exp_plan(struct exp_spec **out, size_t *n, char **set, size_t nset,
				   const char *name);
void exp_specs_free(struct exp_spec *v, size_t n);

/* Run the experiments; *failed counts those that failed (each reported through event). */
const struct cairn_error *exp_run(size_t *failed, struct repo *r, struct exp_spec *v, size_t n,
				  const struct exp_run_opts *o);

struct exp_info {
	char *name;
	char *ref;      /* full ref, or NULL for a failed experiment */
	char commit[41];
	char baseline[41];
	bool failed;
	char *reason;   /* failed: why */
	char *log;      /* failed: its log file */
};

/* Experiments of the baseline HEAD (all baselines with all), sorted by name. */
const struct cairn_error *exp_list(struct exp_info **out, size_t *n, struct repo *r, bool all);
void exp_infos_free(struct exp_info *v, size_t n);

/*
 * The rows of exp show as JSON: the baseline (HEAD) first, then each
 * experiment: {"name", "rev", "baseline", "state" ("baseline", "done",
 * "failed"), "reason" (failed), "params" (the values that differ from the
 * baseline, as "file:key"), "metrics" (every value, as "file:key")}.
 * Values are read from Git objects. Caller frees *out.
 */
const struct cairn_error *exp_show(json_t **out, struct repo *r, bool all);

/* Find a finished experiment by name (HEAD's baseline first). NOT_FOUND otherwise. */
const struct cairn_error *exp_find(struct exp_info *out, struct repo *r, const char *name);

/*
 * Put an experiment's files and outputs in the workspace. Everything is
 * checked before anything is written: WOULD_CLOBBER without force for
 * uncommitted changes, an untracked file it would replace, or an output
 * whose content the cache lacks; NOT_FOUND for an output not in the cache.
 */
const struct cairn_error *exp_apply(struct repo *r, const char *name, bool force);
/* Make a branch of an experiment. */
const struct cairn_error *exp_branch(struct repo *r, const char *name, const char *branch);
/* Remove an experiment (its ref, or its failure record and log). */
const struct cairn_error *exp_remove(struct repo *r, const char *name);

#endif
