/*
 * runner.h: running the commands of stages and the helper programs cairn
 * calls (docker, git worktree): a stage command through /bin/sh -c in its
 * working folder, in its own process group with stdin from /dev/null and
 * default signal dispositions; waiting for several children at once while
 * polling a cancel callback (on cancel every child's group gets SIGTERM,
 * then SIGKILL); and wait statuses in words ("exit code 3", "signal 9").
 * Not thread-safe.
 */
#ifndef CAIRN_CORE_RUNNER_H
#define CAIRN_CORE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/par.h"

struct runner_opts {
	const char *cwd;   /* folder to run in (NULL: the current one) */
	int out_fd;        /* stdout and stderr go here; -1: inherited */
	char *const *env;  /* extra NAME=VALUE entries, NULL-terminated; may be NULL */
};

/* Start argv (argv[0] looked up in PATH). NOT_FOUND when the program is not there. */
const struct cairn_error *runner_start(pid_t *pid, char *const argv[],
				       const struct runner_opts *o);

/* Start "/bin/sh -c script". */
const struct cairn_error *runner_start_sh(pid_t *pid, const char *script,
					  const struct runner_opts *o);

/*
 * Wait until one of pids[0..n) ends: *which gets its index and *status its
 * wait status. cancel is polled meanwhile; when it returns an error, every
 * child's process group is stopped (SIGTERM, then SIGKILL after 5 s), all
 * are reaped, and that error is returned.
 */
const struct cairn_error *runner_wait_any(size_t *which, int *status, const pid_t *pids,
					  size_t n, par_cancel_cb cancel, void *cancel_arg);

/* Run argv to its end, its stdout appended to out (stderr to err, or inherited when NULL). */
const struct cairn_error *runner_capture(struct buf *out, struct buf *err, int *status,
					 char *const argv[], const char *cwd);

/* True for a normal exit with code 0. */
bool runner_status_ok(int status);
/* "exit code 3" or "signal 9 (Killed)". */
void runner_status_text(char *out, size_t n, int status);

/* The script that runs several commands in order, stopping at the first failure. Caller frees. */
char *runner_script(char *const *cmds, size_t n);

/* The full path of program in PATH (caller frees), or NULL. */
char *runner_which(const char *program);

#endif
