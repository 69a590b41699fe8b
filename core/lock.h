/*
 * lock.h: the repository write lock, .cairn/tmp/lock. An flock(2) lock, so
 * a crashed holder's lock vanishes with it; the file holds the holder's pid
 * for messages. Readers never take it. Thread-safe.
 */
#ifndef CAIRN_CORE_LOCK_H
#define CAIRN_CORE_LOCK_H

#include <sys/types.h>

#include "core/error.h"

struct lock;

/* Called once when the lock is busy and waiting starts. */
typedef void (*lock_wait_cb)(pid_t holder, void *arg);

/*
 * Take the lock at path, waiting up to timeout_ms. LOCKED names the
 * holder's pid when the wait runs out. Release with lock_release.
 */
const struct cairn_error *lock_acquire(struct lock **out, const char *path, int timeout_ms,
				       lock_wait_cb on_wait, void *arg);
void lock_release(struct lock *l);

#endif
