/*
 * lock.h: flock(2) locks, so a crashed holder's lock vanishes with it: the
 * repository write lock (.cairn/tmp/lock), and the cache lock (<cache>/lock)
 * that commands adding objects hold shared and gc exclusively. An exclusive
 * holder writes its pid into the file for messages. Readers take neither.
 * With LOCK_F_INHERIT the holder names the lock in CAIRN_LOCK_HELD for the
 * processes it starts (a stage command, git running cairn's hooks): a cairn
 * process whose ancestor holds the lock named there runs under that lock
 * instead of waiting for itself. Thread-safe.
 */
#ifndef CAIRN_CORE_LOCK_H
#define CAIRN_CORE_LOCK_H

#include <sys/types.h>

#include "core/error.h"

struct lock;

enum lock_flags {
	LOCK_F_SHARED = 1 << 0,  /* a shared lock: excludes only exclusive holders */
	LOCK_F_INHERIT = 1 << 1, /* shared with descendants through CAIRN_LOCK_HELD */
};

/* Called once when the lock is busy and waiting starts. */
typedef void (*lock_wait_cb)(pid_t holder, void *arg);

/* Polled while waiting; an error (CANCELLED) ends the wait. */
typedef const struct cairn_error *(*lock_cancel_cb)(void *arg);

/*
 * Take the lock at path (enum lock_flags), waiting up to timeout_ms. LOCKED
 * names the holder's pid when the wait runs out. With LOCK_F_INHERIT, when
 * CAIRN_LOCK_HELD names path and the holder is an ancestor of this process,
 * nothing is taken: the lock is the ancestor's, which waits for this
 * process. cancel may be NULL; on_wait and cancel both get arg. Release
 * with lock_release.
 */
const struct cairn_error *lock_acquire(struct lock **out, const char *path, unsigned flags,
				       int timeout_ms, lock_wait_cb on_wait, lock_cancel_cb cancel,
				       void *arg);
void lock_release(struct lock *l);

#endif
