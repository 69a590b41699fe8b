/*
 * diff.h: the data changes between two output trees (core/otree.h): files
 * added, modified, deleted and renamed, with folders expanded down to single
 * files. Only manifests on changed paths are read (equal subtree ids are
 * skipped). A rename is a deleted and an added file with the same content
 * (git's exact renames). Not thread-safe.
 */
#ifndef CAIRN_CORE_DIFF_H
#define CAIRN_CORE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/tree.h"

struct cache;

enum diff_change { DIFF_ADDED, DIFF_MODIFIED, DIFF_DELETED, DIFF_RENAMED };

/* One side of a change: what a path held. */
struct diff_side {
	bool present;
	enum tree_type type; /* file, symlink, or an empty folder */
	bool known;          /* id is valid */
	struct oid id;
	uint64_t size;
	bool exec;
	char *target; /* symlink only */
};

struct diff_item {
	enum diff_change change;
	char *path;         /* new path (deleted: the old one) */
	char *old_path;     /* renames only */
	struct diff_side a; /* before */
	struct diff_side b; /* after */
};

struct diff_result {
	struct diff_item *v; /* sorted by path */
	size_t n, cap;
};

#define DIFF_RESULT_INIT { NULL, 0, 0 }

void diff_result_release(struct diff_result *d);

/*
 * Compare trees a and b, loading unloaded folders from c. With paths (root
 * relative, "" = everything), only changes at or below one of them count,
 * and renames are paired among those only. A manifest missing from the
 * cache is a NOT_FOUND error naming the path that needs it.
 */
const struct cairn_error *diff_trees(struct diff_result *out, const struct tree *a,
				     const struct tree *b, const struct cache *c,
				     char *const *paths, size_t npaths);

/* "added", "modified", "deleted", "renamed". */
const char *diff_change_name(enum diff_change c);

#endif
