/*
 * repro.h: the pipeline engine (DESIGN 9). Works out which stages are stale
 * and why (command, dependency, param or image changed; output missing or
 * modified; never run; always_changed), and brings the pipeline up to date:
 * stages run in dependency order, independent ones in parallel, each from
 * the run cache when the same run was recorded before. A stage's record in
 * cairn.lock is written only after its command succeeded and its outputs
 * are in the cache; a failure stops the run and leaves the failing stage's
 * record as it was. Not thread-safe.
 */
#ifndef CAIRN_CORE_REPRO_H
#define CAIRN_CORE_REPRO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/par.h"

struct work;

enum repro_event {
	REPRO_UPTODATE,  /* nothing changed: skipped */
	REPRO_FROZEN,    /* frozen: never run */
	REPRO_WOULD_RUN, /* --dry-run: would run (detail: why) */
	REPRO_RUNNING,   /* the command starts (detail: why) */
	REPRO_RESTORED,  /* outputs restored from the run cache */
	REPRO_DONE,      /* the command succeeded; outputs cached, lock written */
	REPRO_FAILED,    /* the command failed (detail: how) */
};

typedef void (*repro_event_cb)(enum repro_event ev, const char *stage, const char *detail,
			       void *arg);

struct repro_opts {
	bool force;         /* run the selected stages even when up to date */
	bool dry_run;       /* say what would run; change nothing */
	bool no_run_cache;  /* never restore from the run cache */
	bool single;        /* only the named stages, not what they depend on */
	int jobs;           /* stages run at once (<= 0: 1) */
	int out_fd;         /* where commands' output goes (-1: inherited) */
	repro_event_cb event;
	void *event_arg;
	par_cancel_cb cancel;
	void *cancel_arg;
};

/* Bring the named stages (all when n is 0) and what they depend on up to date. */
const struct cairn_error *repro_run(struct work *w, char **targets, size_t n,
				    const struct repro_opts *o);

struct repro_state {
	char *name;
	bool stale;
	bool frozen;
	bool always;  /* always_changed */
	char **why;   /* reasons, one line each */
	size_t nwhy;
};

struct repro_report {
	struct repro_state *v; /* in dependency order */
	size_t n;
	bool has_pipeline;     /* cairn.yaml exists */
};

/* Which stages are stale and why, changing nothing. */
const struct cairn_error *repro_status(struct repro_report *rep, struct work *w,
				       par_cancel_cb cancel, void *cancel_arg);
void repro_report_release(struct repro_report *rep);

#endif
