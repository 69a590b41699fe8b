/*
 * xfer.h: moving the objects tracked outputs need between the cache and a
 * remote (DESIGN 7). An output needs its file object, or its root manifest
 * and everything beneath it; a fetch learns a folder's objects level by
 * level, as its manifests arrive. Push sends file objects first, then
 * manifests leaves first, one level at a time, so a manifest on a remote
 * implies everything under it is there. Presence is asked of the remote in
 * batches, never guessed. Built on the remote_ops interface of
 * remotes/remote.h (only the interface: the caller opens the remote), so it
 * lives beside it: core/ does not depend on remotes/. Not thread-safe.
 */
#ifndef CAIRN_REMOTES_XFER_H
#define CAIRN_REMOTES_XFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/par.h"

struct cache;
struct out_list;
struct remote;

/* Progress of one phase ("checking", "pushing", "fetching"): totals may grow. */
typedef void (*xfer_progress_cb)(const char *phase, uint64_t objects, uint64_t objects_total,
				 uint64_t bytes, uint64_t bytes_total, void *arg);

struct xfer_opts {
	int jobs;                  /* parallel transfers; <= 0: the remote's default */
	xfer_progress_cb progress; /* may be NULL */
	void *progress_arg;
	par_cancel_cb cancel;      /* may be NULL */
	void *cancel_arg;
};

/* An object found neither in the cache nor on the remote. */
struct xfer_missing {
	char *path;    /* the first path that needs it, relative to the root */
	struct oid id;
};

/* Where one output's objects are (as far as its manifests are known). */
struct xfer_out_state {
	uint64_t objects;     /* distinct objects it needs */
	uint64_t both;        /* in the cache and on the remote */
	uint64_t local_only;  /* to push */
	uint64_t remote_only; /* to pull */
	uint64_t nowhere;     /* missing everywhere */
	uint64_t local_bytes; /* bytes of the local-only objects */
	bool complete;        /* every object is in the cache */
};

struct xfer_result {
	uint64_t needed;      /* distinct objects the outputs need */
	uint64_t transferred; /* objects sent or received */
	uint64_t bytes;       /* bytes sent or received */
	uint64_t present;     /* objects already where they were going */
	uint64_t repaired;    /* xfer_verify: damaged remote objects sent again */
	struct xfer_missing *missing; /* sorted by path */
	size_t nmissing, capmissing;
	struct xfer_out_state *outs;  /* one per output, in order */
	size_t nouts;
};

void xfer_result_release(struct xfer_result *res);

/*
 * Send what the outputs need and the remote lacks. Objects missing from
 * both the cache and the remote are listed in res->missing (no error), and
 * no manifest above them is sent.
 */
const struct cairn_error *xfer_push(struct xfer_result *res, struct remote *r, struct cache *c,
				    const struct out_list *outs, const struct xfer_opts *opts);

/*
 * Bring what the outputs need and the cache lacks, hash-verified, and make
 * it durable (cache_flush). Objects the remote lacks are listed in
 * res->missing; an output is complete when all its objects are cached.
 */
const struct cairn_error *xfer_fetch(struct xfer_result *res, struct remote *r, struct cache *c,
				     const struct out_list *outs, const struct xfer_opts *opts);

/*
 * Where each output's objects are: fetches the manifests the cache lacks
 * (small, verified) so folders can be listed, and asks the remote about
 * every object. Missing objects are listed in res->missing.
 */
const struct cairn_error *xfer_status(struct xfer_result *res, struct remote *r, struct cache *c,
				      const struct out_list *outs, const struct xfer_opts *opts);

/*
 * Download every object the outputs need (as far as the cache's manifests
 * tell) and check it hashes to its name, keeping nothing: res->transferred
 * counts the objects verified, res->missing lists those the remote lacks.
 * A damaged object is replaced by the cache's copy and read back
 * (res->repaired counts them); one the cache lacks, or still damaged once
 * sent again, is a CORRUPT error naming the path that needs it.
 */
const struct cairn_error *xfer_verify(struct xfer_result *res, struct remote *r, struct cache *c,
				      const struct out_list *outs, const struct xfer_opts *opts);

#endif
