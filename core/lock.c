/*
 * lock.c: flock-based repository lock with a bounded wait.
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

struct lock {
	int fd;
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

const struct cairn_error *lock_acquire(struct lock **out, const char *path, int timeout_ms,
				       lock_wait_cb on_wait, lock_cancel_cb cancel, void *arg)
{
	int64_t deadline = fs_now_ns() + (int64_t)timeout_ms * 1000000;
	bool waited = false;
	char pidtext[32];
	struct lock *l;
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0)
		return err_errno("open lock '%s'", path);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec ts = { 0, 50 * 1000000 };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			const struct cairn_error *e = err_errno("lock '%s'", path);

			close(fd);
			return e;
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
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pidtext, (size_t)n, 0) != n) {
		/* the pid is only for messages */
	}
	l = xmalloc(sizeof(*l));
	l->fd = fd;
	*out = l;
	return NULL;
}

void lock_release(struct lock *l)
{
	if (l == NULL)
		return;
	if (ftruncate(l->fd, 0) < 0) {
		/* only for messages */
	}
	flock(l->fd, LOCK_UN);
	close(l->fd);
	free(l);
}
