/*
 * work.h: what a command that reads or writes the workspace needs, opened
 * together from a repository: the cache, the state database, the link
 * types of cache.type, the hashing setup and a temp folder on the work
 * tree's file system. Not thread-safe.
 */
#ifndef CAIRN_CORE_WORK_H
#define CAIRN_CORE_WORK_H

#include <stdbool.h>

#include "core/digest.h"
#include "core/error.h"
#include "core/link.h"

struct repo;
struct cache;
struct state;

struct work {
	struct repo *repo;
	struct cache *cache;
	struct state *state;
	struct link_types types;  /* cache.type */
	struct digest_ctx digest; /* hashing; .cache is set by operations that store */
	struct link_ctx link;     /* materialisation */
	int tmpfd;                /* .cairn/tmp */
};

/* Open everything for r (cairn must be initialised). Release with work_close. */
const struct cairn_error *work_open(struct work *w, struct repo *r);
/* Save the state database and release; the repository stays open. */
void work_close(struct work *w);

#endif
