/*
 * lock.c: flock-based locks with a bounded wait: the repository lock, shared
 * with the holder's descendants through CAIRN_LOCK_HELD, and the cache lock.
 */
#include "buildconf.h"

#include "core/lock.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/xmalloc.h"

#define LOCK_ENV "CAIRN_LOCK_HELD"

struct lock {
	int fd;         /* -1: held by an ancestor */
	bool shared;    /* LOCK_F_SHARED: the file's pid is someone else's */
	char *prev_env; /* CAIRN_LOCK_HELD before this lock set it, or NULL */
	bool set_env;   /* this lock set CAIRN_LOCK_HELD */
};

static pid_t lock_read_pid(int fd)
{
	char b[32];
	ssize_t n = pread(fd, b, sizeof(b) - 1, 0);

	if (n <= 0)
		return 0;
	b[n] = '\0';
	return (pid_t)atol(b);
}

/* The parent of pid, from /proc (0 when unknown). */
static pid_t lock_parent_of(pid_t pid)
{
	char path[64], b[512], *close_paren;
	long ppid = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold anything, ')' too */
	close_paren = strrchr(b, ')');
	if (close_paren == NULL || sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
		return 0;
	return (pid_t)ppid;
}

static bool lock_is_ancestor(pid_t holder)
{
	pid_t p = getppid();
	int depth;

	for (depth = 0; depth < 256 && p > 1; depth++) {
		if (p == holder)
			return true;
		p = lock_parent_of(p);
	}
	return false;
}

/* Does an ancestor hold the lock at path and say so in CAIRN_LOCK_HELD? */
static bool lock_held_above(int fd, const char *path)
{
	const char *env = getenv(LOCK_ENV);
	pid_t holder;

	if (env == NULL || strcmp(env, path) != 0)
		return false;
	holder = lock_read_pid(fd);
	return holder > 0 && lock_is_ancestor(holder);
}

static struct lock *lock_new(int fd, const char *path, unsigned flags)
{
	struct lock *l = xcalloc(1, sizeof(*l));
	const char *prev = getenv(LOCK_ENV);

	l->fd = fd;
	l->shared = (flags & LOCK_F_SHARED) != 0;
	if (fd >= 0 && (flags & LOCK_F_INHERIT)) {
		l->prev_env = prev ? xstrdup(prev) : NULL;
		l->set_env = setenv(LOCK_ENV, path, 1) == 0;
	}
	return l;
}

const struct cairn_error *lock_acquire(struct lock **out, const char *path, unsigned flags,
				       int timeout_ms, lock_wait_cb on_wait, lock_cancel_cb cancel,
				       void *arg)
{
	int64_t deadline = fs_now_ns() + (int64_t)timeout_ms * 1000000;
	int op = (flags & LOCK_F_SHARED) ? LOCK_SH : LOCK_EX;
	bool waited = false;
	char pidtext[32];
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0 && errno == EACCES) /* another user's file (a shared cache): flock needs no write */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return err_errno("open lock '%s'", path);
	while (flock(fd, op | LOCK_NB) < 0) {
		struct timespec ts = { 0, 50 * 1000000 };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			const struct cairn_error *e = err_errno("lock '%s'", path);

			close(fd);
			return e;
		}
		if ((flags & LOCK_F_INHERIT) && lock_held_above(fd, path)) {
			close(fd);
			*out = lock_new(-1, path, flags);
			return NULL;
		}
		if (fs_now_ns() >= deadline) {
			pid_t holder = lock_read_pid(fd);

			close(fd);
			if (holder > 0)
				return err_hint(err_new(CAIRN_ERR_LOCKED,
							"another cairn process (pid %ld) holds the lock",
							(long)holder),
						"wait for it to finish, or raise core.lockTimeout");
			return err_new(CAIRN_ERR_LOCKED, "another cairn process holds the lock '%s'",
				       path);
		}
		if (!waited && on_wait) {
			on_wait(lock_read_pid(fd), arg);
			waited = true;
		}
		if (cancel) {
			const struct cairn_error *e = cancel(arg);

			if (e) {
				close(fd);
				return e;
			}
		}
		nanosleep(&ts, NULL);
	}
	n = snprintf(pidtext, sizeof(pidtext), "%ld\n", (long)getpid());
	if (op == LOCK_EX && (ftruncate(fd, 0) < 0 || pwrite(fd, pidtext, (size_t)n, 0) != n)) {
		/* the pid is only for messages */
	}
	*out = lock_new(fd, path, flags);
	return NULL;
}

void lock_release(struct lock *l)
{
	if (l == NULL)
		return;
	if (l->set_env) {
		if (l->prev_env)
			setenv(LOCK_ENV, l->prev_env, 1);
		else
			unsetenv(LOCK_ENV);
	}
	if (l->fd >= 0) {
		if (!l->shared && ftruncate(l->fd, 0) < 0) {
			/* only for messages */
		}
		flock(l->fd, LOCK_UN);
		close(l->fd);
	}
	free(l->prev_env);
	free(l);
}
