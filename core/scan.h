/*
 * scan.h: read a workspace folder into a tree (names, types, lstat data,
 * symlink targets) without following symlinks and without reading file
 * contents. Strict scans (add, commit) refuse what cannot be stored; lenient
 * ones (status, checkout) record it as TREE_OTHER. Not thread-safe.
 */
#ifndef CAIRN_CORE_SCAN_H
#define CAIRN_CORE_SCAN_H

#include <stdbool.h>

#include "core/error.h"
#include "core/tree.h"

struct scan_opts {
	const char *root;      /* absolute path of rootfd (where symlinks lead is checked on the tree) */
	const char *cache_dir; /* symlinks into <cache_dir>/sha256/ stand for files */
	bool strict;           /* refuse unstorable entries instead of marking them */
};

/*
 * Scan folder rel (relative to rootfd) into a sorted tree. NOT_FOUND when rel
 * does not exist; an error when rel is not a folder.
 */
const struct cairn_error *scan_dir(struct tree **out, int rootfd, const char *rel,
				   const struct scan_opts *o);

/*
 * If the symlink target names an object of the cache (a file checked out
 * with cache.type symlink), set *id and return true.
 */
bool scan_cache_link(struct oid *id, const char *target, const char *cache_dir);

#endif
