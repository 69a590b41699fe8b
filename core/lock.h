/*
 * lock.h: the repository write lock, .cairn/tmp/lock. An flock(2) lock, so
 * a crashed holder's lock vanishes with it; the file holds the holder's pid
 * for messages. Readers never take it. The holder names the lock in
 * CAIRN_LOCK_HELD for the processes it starts (a stage command, git running
 * cairn's hooks): a cairn process whose ancestor holds the lock named there
 * runs under that lock instead of waiting for itself. Thread-safe.
 */
#ifndef CAIRN_CORE_LOCK_H
#define CAIRN_CORE_LOCK_H

#include <sys/types.h>

#include "core/error.h"

struct lock;

/* Called once when the lock is busy and waiting starts. */
typedef void (*lock_wait_cb)(pid_t holder, void *arg);

/* Polled while waiting; an error (CANCELLED) ends the wait. */
typedef const struct cairn_error *(*lock_cancel_cb)(void *arg);

/*
 * Take the lock at path, waiting up to timeout_ms. LOCKED names the
 * holder's pid when the wait runs out. When CAIRN_LOCK_HELD names path and
 * the holder is an ancestor of this process, nothing is taken: the lock is
 * the ancestor's, which waits for this process. cancel may be NULL; on_wait
 * and cancel both get arg. Release with lock_release.
 */
const struct cairn_error *lock_acquire(struct lock **out, const char *path, int timeout_ms,
				       lock_wait_cb on_wait, lock_cancel_cb cancel, void *arg);
void lock_release(struct lock *l);

#endif
