/*
 * add.h: start or update tracking of a workspace path: store its content
 * in the cache (files in one read each, folders as a Merkle tree), make it
 * durable, then write PATH.cairn and the .gitignore entry, in that order.
 * Not thread-safe.
 */
#ifndef CAIRN_CORE_ADD_H
#define CAIRN_CORE_ADD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/ptr.h"

struct work;

struct add_result {
	enum ptr_type type;
	uint64_t size;   /* bytes */
	uint64_t nfiles; /* folders */
	bool changed;    /* the pointer was created or changed */
	bool created;    /* there was no pointer before */
};

/*
 * Check that rel (relative to the root) may be tracked, changing nothing:
 * inside the work tree, not in .git or .cairn, not a pointer, existing, a
 * regular file or folder, a valid name, not tracked by Git, not inside or
 * around another tracked output.
 */
const struct cairn_error *add_check(struct work *w, const char *rel);

/* Track rel (after add_check) or record its current content (commit). */
const struct cairn_error *add_path(struct add_result *res, struct work *w, const char *rel);

#endif
