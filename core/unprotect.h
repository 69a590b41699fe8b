/*
 * unprotect.h: making tracked data writable in place (cairn unprotect).
 * With cache.type hardlink or symlink the workspace files are the cache's
 * read-only objects; each such file under a path becomes a private,
 * writable copy (same content, exec bit kept), so editing it can never
 * change the cache. Copies that are only read-only are made writable.
 * Not thread-safe.
 */
#ifndef CAIRN_CORE_UNPROTECT_H
#define CAIRN_CORE_UNPROTECT_H

#include <stdint.h>

#include "core/error.h"

struct work;

struct unprotect_result {
	uint64_t copied;    /* links replaced by copies */
	uint64_t writable;  /* read-only copies made writable */
};

/*
 * Unprotect rel (relative to the root): a tracked output or a file or
 * folder inside a tracked folder. NOT_TRACKED otherwise, NOT_FOUND when
 * it is not in the workspace.
 */
const struct cairn_error *unprotect_path(struct unprotect_result *res, struct work *w,
					 const char *rel);

#endif
