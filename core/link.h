/*
 * link.h: materialising cache objects in the workspace following
 * cache.type (DESIGN 3): an ordered list of reflink, hardlink, symlink and
 * copy, the first that works used per file. A file appears whole or not
 * at all: links are made at their name in one step, copies are written to
 * an unnamed file (O_TMPFILE) or a temp name, then linked or renamed into
 * place, which replaces a symlink rather than writing through it.
 * Thread-safe.
 */
#ifndef CAIRN_CORE_LINK_H
#define CAIRN_CORE_LINK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"

struct cache;

enum link_type { LINK_REFLINK, LINK_HARDLINK, LINK_SYMLINK, LINK_COPY };

struct link_types {
	enum link_type v[4];
	int n;
};

#define LINK_DEFAULT "reflink,copy"

/* Parse "reflink,copy"; FORMAT for unknown or repeated names. */
const struct cairn_error *link_parse(struct link_types *out, const char *spec);
const char *link_name(enum link_type t);

struct link_ctx {
	struct cache *cache;
	const struct link_types *types;
	int tmpfd;   /* folder for temp names, on the work tree's file system */
	bool verify; /* hash copies and refuse a corrupt object */
	atomic_int no_reflink; /* set once reflinks failed for lack of support */
	atomic_int no_tmpfile; /* set once O_TMPFILE failed for lack of support */
};

/*
 * Put object id (size bytes) at dirfd/name. A size or hash mismatch is
 * CORRUPT and the object is moved to the quarantine. *used gets the type.
 */
const struct cairn_error *link_put(enum link_type *used, struct link_ctx *c, int dirfd,
				   const char *name, const struct oid *id, uint64_t size,
				   bool exec);

/* Make a fresh temp name in c->tmpfd (for other workspace writes). */
void link_tmpname(char out[64]);

#endif
