/*
 * reproduce.h: re-running a recorded pipeline (DESIGN 9). In a temporary
 * worktree of a revision (wtree.h, sharing the cache), its cairn.lock keeps
 * only frozen stages' records, its tracked data is checked out, every stage
 * runs again (cairn repro --force --no-run-cache, a child process of the
 * cairn binary), and each recorded output and metrics file is compared with
 * what the new run made (missing when it made none).
 * The user's workspace is never touched. Not thread-safe.
 */
#ifndef CAIRN_CORE_REPRODUCE_H
#define CAIRN_CORE_REPRODUCE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/par.h"

struct repo;

enum reproduce_state { REPRODUCE_IDENTICAL, REPRODUCE_DIFFERS, REPRODUCE_MISSING };

struct reproduce_item {
	char *stage;
	char *path;
	enum reproduce_state state;
	struct oid want; /* recorded */
	struct oid got;  /* made now (not for MISSING) */
};

struct reproduce_report {
	char commit[41];      /* the revision reproduced */
	struct reproduce_item *v;
	size_t n;
	bool ran;             /* the pipeline ran to its end */
	char *failure;        /* why it did not, or NULL */
	char *worktree;       /* kept worktree, or NULL */
};

struct reproduce_opts {
	const char *self;  /* the cairn binary */
	bool keep;         /* keep the worktree */
	int out_fd;        /* where the run's output goes (-1: inherited) */
	par_cancel_cb cancel;
	void *cancel_arg;
};

/* Reproduce rev (NULL: HEAD). Errors only for what stops the comparison from starting. */
const struct cairn_error *reproduce_run(struct reproduce_report *rep, struct repo *r,
					const char *rev, const struct reproduce_opts *o);
void reproduce_report_release(struct reproduce_report *rep);

/* "identical", "differs", "missing". */
const char *reproduce_state_name(enum reproduce_state s);

#endif
