/*
 * par.h: run a function over the indexes 0..n-1 on several threads (the
 * hashing and transfer pool). The first error stops the others; errors are
 * copied across threads, never passed as pointers. Thread-safe.
 */
#ifndef CAIRN_CORE_PAR_H
#define CAIRN_CORE_PAR_H

#include <stddef.h>

#include "core/error.h"

/*
 * Make every run, in every thread, stop taking new items: for a signal
 * handler about to end the process (async-signal-safe). Runs then end
 * without an error; the process is expected to exit.
 */
void par_abort_all(void);

/* One unit of work; thread is 0..jobs-1, for per-thread scratch state. */
typedef const struct cairn_error *(*par_item_cb)(void *arg, size_t i, int thread);
/* Polled between items (by the calling thread) and once at the end; an error stops the run. */
typedef const struct cairn_error *(*par_cancel_cb)(void *arg);

/* Threads at most for -j of the commands that hash (transfers have their own limit). */
#define PAR_JOBS_MAX 1024

/* Number of online CPUs (at least 1). */
int par_ncpu(void);

/*
 * Parse a number of jobs from 1 to max (-j, a setting): USAGE naming what
 * ("--jobs") and the text otherwise. The one parser of every -j.
 */
const struct cairn_error *par_jobs_parse(int *out, const char *what, const char *text, int max);

/* Run fn for every index on up to jobs threads (jobs <= 0: one per CPU). */
const struct cairn_error *par_run(size_t n, int jobs, par_item_cb fn, void *arg,
				  par_cancel_cb cancel, void *cancel_arg);

#endif
