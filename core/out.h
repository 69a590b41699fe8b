/*
 * out.h: tracked outputs, each a pointer file PATH.cairn beside its data
 * PATH. Finds them in the work tree (never inside .git, .cairn, nested
 * repositories or other outputs) or from the paths a user names, and checks
 * that a new path does not overlap one. Not thread-safe.
 */
#ifndef CAIRN_CORE_OUT_H
#define CAIRN_CORE_OUT_H

#include <stddef.h>

#include "core/error.h"

struct repo;
struct ptr;

struct out {
	char *ptr_rel;    /* pointer path relative to the root: "data/x.cairn" */
	char *rel;        /* output path: "data/x" */
	char *dir;        /* folder of both: "data" ("" at the root) */
	const char *name; /* last component of rel (points into rel) */
	struct ptr *ptr;  /* the parsed pointer */
};

struct out_list {
	struct out *v;
	size_t n, cap;
};

#define OUT_LIST_INIT { NULL, 0, 0 }

void out_list_release(struct out_list *l);

/* Parse the pointer at ptr_rel into o; its path must be the pointer's name minus ".cairn". */
const struct cairn_error *out_load(struct out *o, struct repo *r, const char *ptr_rel);
void out_release(struct out *o);

/* Every pointer in the work tree, sorted by path. */
const struct cairn_error *out_collect_all(struct out_list *l, struct repo *r);

/*
 * The outputs named by user paths: PATH or PATH.cairn, or a folder that is
 * not itself tracked (every pointer beneath it). NOT_TRACKED otherwise.
 */
const struct cairn_error *out_collect_args(struct out_list *l, struct repo *r, char **paths,
					   int n);

/*
 * The one output a user path names: PATH or PATH.cairn (never a folder of
 * outputs). NOT_TRACKED otherwise, with a hint when the path lies inside a
 * tracked folder.
 */
const struct cairn_error *out_find(struct out *o, struct repo *r, const char *user_path);

/* The pointer of a tracked folder above rel (caller frees), or NULL. */
const struct cairn_error *out_tracked_above(char **ptr_rel, struct repo *r, const char *rel);

#endif
