/*
 * fsck.h: checking the cache (C21): every object is read again and hashed
 * on all cores, and every manifest reachable from the given roots must
 * parse and name only objects that are present. A corrupt object is
 * reported and, with repair, moved to the quarantine folder (never
 * deleted) so a later fetch can bring a good copy. Not thread-safe.
 */
#ifndef CAIRN_CORE_FSCK_H
#define CAIRN_CORE_FSCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/par.h"

struct cache;
struct out_list;

enum fsck_problem {
	FSCK_CORRUPT,      /* content does not hash to the object's name */
	FSCK_BAD_MANIFEST, /* a reachable manifest does not parse */
	FSCK_MISSING,      /* a reachable manifest names an absent object */
};

/* path: where a reachable object sits ("" when unknown); moved_to: quarantine path or NULL. */
typedef void (*fsck_problem_cb)(enum fsck_problem kind, const struct oid *id, const char *path,
				const char *msg, const char *moved_to, void *arg);
/* Objects and bytes hashed so far; called from one thread. */
typedef void (*fsck_progress_cb)(uint64_t objects, uint64_t objects_total, uint64_t bytes,
				 uint64_t bytes_total, void *arg);

struct fsck_opts {
	bool repair;        /* quarantine corrupt objects */
	int jobs;           /* threads; <= 0: one per CPU */
	fsck_problem_cb on_problem;
	fsck_progress_cb progress;
	void *arg;          /* for both callbacks */
	par_cancel_cb cancel;
	void *cancel_arg;
};

struct fsck_result {
	uint64_t objects, bytes; /* objects hashed */
	uint64_t corrupt;        /* objects whose content does not match */
	uint64_t quarantined;    /* of those, moved aside */
	uint64_t bad_manifests;  /* reachable manifests that do not parse */
	uint64_t missing;        /* absent objects named by present manifests */
	uint64_t absent_roots;   /* outputs whose data is not in the cache at all */
};

/* Check every object of c, then the manifests reachable from outs (may be NULL). */
const struct cairn_error *fsck_run(struct fsck_result *res, struct cache *c,
				   const struct out_list *outs, const struct fsck_opts *o);

#endif
