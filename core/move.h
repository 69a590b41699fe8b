/*
 * move.h: moving a tracked output (cairn move): its data, its pointer file
 * and its .gitignore entry go to the new place together. The destination
 * must not exist (an existing untracked folder means "into it", as mv
 * does); missing folders above it are created. Not thread-safe.
 */
#ifndef CAIRN_CORE_MOVE_H
#define CAIRN_CORE_MOVE_H

#include "core/error.h"

struct work;
struct out;

/*
 * Where o would go for the user's destination dst_rel (relative to the
 * root): dst_rel itself, or dst_rel/<name> when dst_rel is an existing
 * untracked folder. Checks the place, changing nothing: EXISTS when it is
 * taken, USAGE when it is not a place cairn can track. Caller frees *out.
 */
const struct cairn_error *move_target(char **out, struct work *w, const struct out *o,
				      const char *dst_rel);

/* Move o to dst (from move_target). */
const struct cairn_error *move_out(struct work *w, const struct out *o, const char *dst);

#endif
