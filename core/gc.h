/*
 * gc.h: removing the cache objects nobody keeps: outside a gcroots set
 * (core/gcroots.h) and older than the grace period gc.grace (default one
 * hour), so an add running meanwhile, whose objects are new or freshly
 * touched, never loses one. Temp files of interrupted inserts older than
 * the grace go too. The quarantine is never touched. Not thread-safe.
 */
#ifndef CAIRN_CORE_GC_H
#define CAIRN_CORE_GC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/par.h"

struct cache;
struct config;
struct gcroots;

#define GC_GRACE_DEFAULT "1h"

/* One object (id) or temp file (temp) removed, or to be removed with dry_run. */
typedef void (*gc_remove_cb)(const struct oid *id, const char *temp, uint64_t size, void *arg);

struct gc_opts {
	int64_t grace_ns;       /* keep what changed less than this long ago */
	bool dry_run;           /* report, remove nothing */
	gc_remove_cb on_remove; /* called in id order, temps after */
	void *arg;
	par_cancel_cb cancel;   /* polled between removals */
	void *cancel_arg;
};

struct gc_result {
	uint64_t kept, kept_bytes;       /* objects in the root set */
	uint64_t young, young_bytes;     /* unreferenced but within the grace */
	uint64_t removed, removed_bytes; /* objects removed (or to remove) */
	uint64_t temps, temp_bytes;      /* stale temp files removed */
};

/* "90", "90s", "30m", "1h", "2d", "0": a duration in nanoseconds; FORMAT otherwise. */
const struct cairn_error *gc_parse_grace(int64_t *ns, const char *text);
/* gc.grace from the settings, or the default. */
const struct cairn_error *gc_grace(int64_t *ns, struct config *cfg);

/* Remove every object of c that g does not keep and that is older than the grace. */
const struct cairn_error *gc_sweep(struct gc_result *res, struct cache *c,
				   const struct gcroots *g, const struct gc_opts *o);

#endif
