/*
 * place.h: placing many cache objects in the workspace on all cores (the
 * writes of checkout). Files are queued with the folder they go to, which
 * must exist by the time the queue runs; a folder's files are placed
 * together, by link_put (core/link.h), so each appears whole or not at all.
 * Nothing is recorded in the state database: a file just written is racy
 * (DESIGN 6) and would be hashed again anyway. Not thread-safe itself.
 */
#ifndef CAIRN_CORE_PLACE_H
#define CAIRN_CORE_PLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"

struct work;
struct place_queue;

/* Files placed so far out of those queued; called from one thread. */
typedef void (*place_progress_cb)(uint64_t done, uint64_t total, void *arg);

struct place_queue *place_new(void);
void place_free(struct place_queue *q);

/* Queue object id (size bytes) for dir/name; dir is relative to the root ("" for it). */
void place_add(struct place_queue *q, const char *dir, const char *name, const struct oid *id,
	       uint64_t size, bool exec);
size_t place_count(const struct place_queue *q);

/*
 * Place every queued file following w's cache.type, on w->digest.jobs
 * threads, polling w->digest.cancel between files. The first error stops
 * the rest; *placed counts the files placed before it.
 */
const struct cairn_error *place_run(uint64_t *placed, struct place_queue *q, struct work *w,
				    place_progress_cb progress, void *arg);

#endif
