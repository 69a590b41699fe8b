/*
 * tests/unit/runner.c: running commands (exit codes and signals in words,
 * scripts of several commands stopping at the first failure, the working
 * folder, output capture, waiting on several children, cancellation that
 * stops a whole process group) and the docker command line (docker.h).
 */
#include "buildconf.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/docker.h"
#include "core/runner.h"
#include "tests/unit/tap.h"

static int run_sh(const char *script, const char *cwd)
{
	struct runner_opts o = { cwd, -1, NULL };
	size_t which;
	int status = -1;
	pid_t pid;

	if (runner_start_sh(&pid, script, &o) != NULL ||
	    runner_wait_any(&which, &status, &pid, 1, NULL, NULL) != NULL)
		return -1;
	return status;
}

static void test_runner__status(void)
{
	char text[96];
	int st;

	st = run_sh("exit 3", NULL);
	ok(!runner_status_ok(st), "exit 3 is a failure");
	runner_status_text(text, sizeof(text), st);
	is_str(text, "exit code 3", "in words");
	st = run_sh("kill -9 $$", NULL);
	runner_status_text(text, sizeof(text), st);
	ok(strncmp(text, "signal 9 (", 10) == 0, "a signal in words: %s", text);
	ok(runner_status_ok(run_sh("test \"$(pwd)\" = /", "/")), "runs in its folder");
	ok(runner_status_ok(run_sh("read x; test -z \"$x\"", NULL)), "stdin is /dev/null");
	ok(runner_status_ok(run_sh("yes | head -1 >/dev/null", NULL)), "SIGPIPE is default again");
}

static void test_runner__script(void)
{
	char *cmds[] = { (char *)"true", (char *)"exit 4", (char *)"exit 5" };
	char *s = runner_script(cmds, 3), text[96];

	runner_status_text(text, sizeof(text), run_sh(s, NULL));
	is_str(text, "exit code 4", "several commands stop at the first failure");
	free(s);
	s = runner_script(cmds, 1);
	is_str(s, "true", "one command is itself");
	free(s);
}

static void test_runner__capture(void)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)"echo out; echo err >&2; exit 2", NULL };
	char *missing[] = { (char *)"no-such-program-here", NULL };
	int status;

	buf_init(&out);
	buf_init(&err);
	ok_noerr(runner_capture(&out, &err, &status, argv, NULL), "capture");
	is_str(out.s, "out\n", "stdout");
	is_str(err.s, "err\n", "stderr");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2, "status");
	is_err(runner_capture(&out, NULL, &status, missing, NULL), CAIRN_ERR_NOT_FOUND,
	       "a program not on PATH");
	buf_release(&out);
	buf_release(&err);
}

static int cancel_calls;
static const struct cairn_error *cancel_soon(void *arg)
{
	(void)arg;
	return ++cancel_calls > 3 ? err_new(CAIRN_ERR_CANCELLED, "interrupted") : NULL;
}

static void test_runner__wait_cancel(void)
{
	struct runner_opts o = { NULL, -1, NULL };
	pid_t pids[2];
	size_t which;
	int status;

	runner_start_sh(&pids[0], "sleep 30", &o);
	runner_start_sh(&pids[1], "exit 7", &o);
	ok_noerr(runner_wait_any(&which, &status, pids, 2, NULL, NULL), "wait for either");
	is_int(which, 1, "the quick one ends first");
	pids[1] = 0;
	is_err(runner_wait_any(&which, &status, pids, 2, cancel_soon, NULL), CAIRN_ERR_CANCELLED,
	       "a cancel stops the wait");
	ok(kill(pids[0], 0) < 0, "and the child is gone (reaped)");
}

static void test_docker__argv(void)
{
	const char *d = "python@sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char **v = docker_argv(d, "/r", "/r/sub", "echo hi");
	char uid[64];
	char *out = NULL;

	snprintf(uid, sizeof(uid), "%ld:%ld", (long)getuid(), (long)getgid());
	is_str(v[0], "docker", "the client");
	is_str(v[1], "run", "run");
	is_str(v[4], "/r:/r", "the work tree mounted at its own path");
	is_str(v[6], "/r/sub", "the stage's folder");
	is_str(v[8], uid, "the caller's uid:gid");
	is_str(v[9], d, "the digest");
	is_str(v[12], "echo hi", "the script");
	ok(v[13] == NULL, "NULL-terminated");
	docker_argv_free(v);
	ok(docker_ref_pinned(d), "NAME@sha256:hex is pinned");
	ok(docker_ref_pinned("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	   "an image id is pinned");
	ok(!docker_ref_pinned("python:3.11"), "a tag is not");
	ok(!docker_ref_pinned("python@sha256:abc"), "a short digest is not");
	ok_noerr(docker_resolve(&out, d), "a pinned image needs no docker");
	is_str(out, d, "and is itself");
	free(out);
}

int main(void)
{
	TAP_RUN(test_runner__status);
	TAP_RUN(test_runner__script);
	TAP_RUN(test_runner__capture);
	TAP_RUN(test_runner__wait_cancel);
	TAP_RUN(test_docker__argv);
	return tap_done();
}
