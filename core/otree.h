/*
 * otree.h: the tracked outputs of a revision, of the index or of the
 * workspace seen as one tree rooted at the work tree (core/tree.h): folders
 * above outputs have unknown ids; each output is a file or folder entry
 * holding its recorded id (its manifests load lazily, so a diff or listing
 * reads only what it needs) or, for the workspace, its data as it is on
 * disk. diff and ls build on it. Not thread-safe.
 */
#ifndef CAIRN_CORE_OTREE_H
#define CAIRN_CORE_OTREE_H

#include <stdbool.h>

#include "core/error.h"
#include "core/tree.h"

struct out_list;
struct work;
struct cache;

/*
 * The outputs of l as a tree, with their recorded ids. where names the
 * source in messages ("HEAD", "the workspace"). An output inside another
 * is a FORMAT error.
 */
const struct cairn_error *otree_from_outs(struct tree **out, const struct out_list *l,
					  const char *where);

/*
 * The same with each output's workspace data in place of its record:
 * files hashed (unchanged ones come from the state database), folders
 * scanned, hashed and their ids computed where they hold only storable
 * entries. An output whose data is missing keeps its recorded entry.
 */
const struct cairn_error *otree_from_workspace(struct tree **out, struct work *w,
					       const struct out_list *l);

/* Visit one listed entry with its root-relative path. */
typedef const struct cairn_error *(*otree_visit_cb)(const char *path, const struct tree_entry *te,
						    void *arg);

/*
 * Visit what is tracked at rel ("" is the root): the entry itself when it
 * is not a folder, else the folder's entries, or with recursive every
 * file, symlink and empty folder below it, in byte order of the paths
 * (a folder's files come where "folder/" sorts). Manifests are
 * loaded into t as the walk needs them (NOT_FOUND names a missing one).
 * NOT_TRACKED when nothing is tracked at rel.
 */
const struct cairn_error *otree_list(struct tree *t, const struct cache *c, const char *rel,
				     bool recursive, otree_visit_cb cb, void *arg);

#endif
