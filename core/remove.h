/*
 * remove.h: stop tracking an output (cairn remove): its pointer file and
 * .gitignore entry go, and with outs its workspace data too, but only when
 * that data is exactly what the pointer records and all of it is in the
 * cache (else WOULD_CLOBBER unless forced). The cache is not touched; gc
 * collects what nothing keeps any more. Not thread-safe.
 */
#ifndef CAIRN_CORE_REMOVE_H
#define CAIRN_CORE_REMOVE_H

#include <stdbool.h>

#include "core/error.h"

struct work;
struct out;

struct remove_opts {
	bool outs;  /* delete the workspace data too */
	bool force; /* even when it is not safely in the cache */
};

/* Would removing o lose data? WOULD_CLOBBER names it; changes nothing. */
const struct cairn_error *remove_check(struct work *w, const struct out *o,
				       const struct remove_opts *opts);

/* Untrack o (after remove_check); *data_removed tells whether data was deleted. */
const struct cairn_error *remove_out(bool *data_removed, struct work *w, const struct out *o,
				     const struct remove_opts *opts);

#endif
