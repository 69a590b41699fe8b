/*
 * gcremote.h: gc on a remote (cairn gc --cloud): the objects a remote holds
 * that a root set (core/gcroots.h) does not keep, listed through the
 * remote_ops interface of remotes/remote.h and deleted only when asked.
 * Not thread-safe.
 */
#ifndef CAIRN_REMOTES_GCREMOTE_H
#define CAIRN_REMOTES_GCREMOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"

struct gcroots;
struct remote;
struct remote_batch;

struct gcremote_result {
	uint64_t listed;  /* objects on the remote */
	uint64_t kept;    /* of those, kept */
	uint64_t young;   /* not kept, but written after the cutoff (or of unknown age): left */
	uint64_t removed; /* deleted (or to delete when not removing) */
};

/* One object not kept, in id order; removed says whether it was deleted. */
typedef void (*gcremote_cb)(const struct oid *id, bool removed, void *arg);

/*
 * List the remote and report every object g does not keep and that was
 * last written before cutoff_ns (ns since the epoch: the grace that keeps
 * a concurrent push's objects until its commit is made); with remove,
 * delete them (one batch). An object whose age the remote does not tell is
 * kept. Nothing is deleted when the listing fails.
 */
const struct cairn_error *gcremote_sweep(struct gcremote_result *res, struct remote *rem,
					 const struct gcroots *g, int64_t cutoff_ns, bool remove,
					 const struct remote_batch *b, gcremote_cb cb, void *arg);

#endif
