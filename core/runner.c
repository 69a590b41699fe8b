/*
 * runner.c: fork/exec of stage commands and helpers. Children get their own
 * process group so a cancel can stop a whole pipeline of processes, and
 * SIGPIPE back to its default (cairn ignores it, and exec keeps ignored
 * signals ignored).
 */
#include "buildconf.h"

#include "core/runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/xmalloc.h"

char *runner_which(const char *program)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (strchr(program, '/'))
		return access(program, X_OK) == 0 ? xstrdup(program) : NULL;
	if (path == NULL || *path == '\0')
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", *dir ? dir : ".", program);
		struct stat st;

		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			found = cand;
		else
			free(cand);
	}
	free(copy);
	return found;
}

static void runner_child(const char *file, char *const argv[], const struct runner_opts *o)
{
	int nul;
	size_t i;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* cairn killed: its command stops too */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	nul = open("/dev/null", O_RDONLY);
	if (nul >= 0) {
		dup2(nul, 0);
		if (nul > 2)
			close(nul);
	}
	if (o && o->out_fd >= 0) {
		dup2(o->out_fd, 1);
		dup2(o->out_fd, 2);
	}
	if (o && o->cwd && chdir(o->cwd) < 0) {
		fprintf(stderr, "cairn: error: cannot change to '%s': %s\n", o->cwd, strerror(errno));
		_exit(126);
	}
	for (i = 0; o && o->env && o->env[i]; i++)
		putenv(o->env[i]);
	execv(file, argv);
	fprintf(stderr, "cairn: error: cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

static const struct cairn_error *runner_spawn(pid_t *pid, const char *file, char *const argv[],
					      const struct runner_opts *o)
{
	pid_t p;

	fflush(stdout);
	fflush(stderr);
	p = fork();
	if (p < 0)
		return err_errno("cannot start '%s'", argv[0]);
	if (p == 0)
		runner_child(file, argv, o);
	setpgid(p, p); /* also in the parent, so a cancel right away reaches the group */
	*pid = p;
	return NULL;
}

const struct cairn_error *runner_start(pid_t *pid, char *const argv[],
				       const struct runner_opts *o)
{
	const struct cairn_error *e;
	char *file = runner_which(argv[0]);

	if (file == NULL)
		return err_hint(err_new(CAIRN_ERR_NOT_FOUND, "cannot run '%s': not found in PATH",
					argv[0]),
				"install it, or put it on PATH");
	e = runner_spawn(pid, file, argv, o);
	free(file);
	return e;
}

const struct cairn_error *runner_start_sh(pid_t *pid, const char *script,
					  const struct runner_opts *o)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)script, NULL };

	return runner_spawn(pid, "/bin/sh", argv, o);
}

static void runner_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Stop every live child's group and reap them. */
static void runner_stop_all(const pid_t *pids, size_t n)
{
	bool *done = xcalloc(n ? n : 1, sizeof(bool));
	size_t i, left = 0;
	int waited, status;

	for (i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(-pids[i], SIGTERM);
			left++;
		} else {
			done[i] = true;
		}
	for (waited = 0; left && waited < 5000; waited += 20) {
		for (i = 0; i < n; i++)
			if (!done[i] && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				done[i] = true;
				left--;
			}
		if (left)
			runner_sleep_ms(20);
	}
	for (i = 0; i < n; i++)
		if (!done[i]) {
			kill(-pids[i], SIGKILL);
			waitpid(pids[i], &status, 0);
		}
	free(done);
}

const struct cairn_error *runner_wait_any(size_t *which, int *status, const pid_t *pids,
					  size_t n, par_cancel_cb cancel, void *cancel_arg)
{
	const struct cairn_error *e;
	long delay = 1;
	size_t i;

	for (;;) {
		for (i = 0; i < n; i++) {
			pid_t r;

			if (pids[i] <= 0)
				continue;
			r = waitpid(pids[i], status, WNOHANG);
			if (r == pids[i]) {
				*which = i;
				return NULL;
			}
			if (r < 0 && errno != EINTR)
				return err_errno("wait for a command");
		}
		if (cancel && (e = cancel(cancel_arg)) != NULL) {
			struct err_copy saved;

			err_save(&saved, e);
			runner_stop_all(pids, n);
			return err_load(&saved);
		}
		runner_sleep_ms(delay);
		if (delay < 50)
			delay *= 2;
	}
}

const struct cairn_error *runner_capture(struct buf *out, struct buf *err, int *status,
					 char *const argv[], const char *cwd)
{
	const struct cairn_error *e;
	char *file = runner_which(argv[0]);
	int op[2], ep[2] = { -1, -1 };
	char chunk[4096];
	pid_t p;
	ssize_t r;

	if (file == NULL)
		return err_hint(err_new(CAIRN_ERR_NOT_FOUND, "cannot run '%s': not found in PATH",
					argv[0]),
				"install it, or put it on PATH");
	if (pipe(op) < 0 || (err && pipe(ep) < 0)) {
		free(file);
		return err_errno("pipe");
	}
	fflush(stdout);
	fflush(stderr);
	p = fork();
	if (p < 0) {
		e = err_errno("cannot start '%s'", argv[0]);
		free(file);
		return e;
	}
	if (p == 0) {
		dup2(op[1], 1);
		if (err)
			dup2(ep[1], 2);
		close(op[0]);
		close(op[1]);
		if (err) {
			close(ep[0]);
			close(ep[1]);
		}
		signal(SIGPIPE, SIG_DFL);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		execv(file, argv);
		_exit(127);
	}
	free(file);
	close(op[1]);
	if (err)
		close(ep[1]);
	while ((r = read(op[0], chunk, sizeof(chunk))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0 && out)
			buf_add(out, chunk, (size_t)r);
	close(op[0]);
	if (err) {
		while ((r = read(ep[0], chunk, sizeof(chunk))) > 0 || (r < 0 && errno == EINTR))
			if (r > 0)
				buf_add(err, chunk, (size_t)r);
		close(ep[0]);
	}
	while (waitpid(p, status, 0) < 0)
		if (errno != EINTR)
			return err_errno("wait for '%s'", argv[0]);
	return NULL;
}

bool runner_status_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void runner_status_text(char *out, size_t n, int status)
{
	if (WIFEXITED(status))
		snprintf(out, n, "exit code %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, n, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(out, n, "status %d", status);
}

char *runner_script(char *const *cmds, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (n == 1)
		return xstrdup(cmds[0]);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s{ %s\n}", i ? " && " : "", cmds[i]);
	return buf_detach(&b);
}
