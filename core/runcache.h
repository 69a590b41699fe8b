/*
 * runcache.h: the run cache (DESIGN 9). A stage run is keyed by the SHA-256
 * of what went in: command, working folder, dependency ids, param values,
 * image digest and the declared outputs; its entry records the outputs that
 * came out. Entries live beside the objects, <cache>/runs/<2 hex>/<62 hex>
 * (JSON, written atomically), so worktrees and experiments sharing a cache
 * share runs. An entry is used only when every object it names is in the
 * cache. Thread-safe (entries are immutable files).
 */
#ifndef CAIRN_CORE_RUNCACHE_H
#define CAIRN_CORE_RUNCACHE_H

#include <stdbool.h>

#include "core/error.h"
#include "core/oid.h"

struct cache;
struct stage;
struct lockfile_stage;

/* The key of run cur (cmd, deps, params and image filled in) of stage s. */
void runcache_key(struct oid *key, const struct stage *s, const struct lockfile_stage *cur);

/*
 * Look up the run; on a hit (*hit true) cur's outs and metrics are filled
 * from the entry. A damaged entry counts as a miss. rec (may be NULL), the
 * stage's record in cairn.lock, is a run too: it serves when it has the
 * same key and its outputs are in the cache (a clone that pulled them, an
 * output deleted by hand), since the run cache is local.
 */
const struct cairn_error *runcache_lookup(bool *hit, struct cache *c, const struct stage *s,
					  struct lockfile_stage *cur,
					  const struct lockfile_stage *rec);

/* Record the outputs of a finished run (cur complete). */
const struct cairn_error *runcache_save(struct cache *c, const struct stage *s,
					const struct lockfile_stage *cur);

#endif
