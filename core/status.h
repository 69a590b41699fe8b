/*
 * status.h: how a tracked output's workspace data compares with its
 * pointer, and the words used for it everywhere (status, add, checkout,
 * --json). Not thread-safe.
 */
#ifndef CAIRN_CORE_STATUS_H
#define CAIRN_CORE_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/tree.h"

struct work;
struct out;

enum status_kind {
	STATUS_CLEAN,        /* workspace matches the pointer and the cache has it */
	STATUS_MODIFIED,     /* workspace differs from the pointer */
	STATUS_MISSING,      /* nothing in the workspace */
	STATUS_NOT_IN_CACHE, /* workspace matches, but the cache lacks the data */
};

struct status_change {
	char *path;              /* relative to the root */
	enum tree_change change; /* added, modified, deleted */
};

struct status_result {
	enum status_kind kind;
	bool in_cache;      /* the recorded object (file or root manifest) is in the cache */
	bool git_tracked;   /* the output is also in the Git index */
	struct status_change *changes; /* files that differ (folders), in byte order of path */
	size_t n, cap;
};

/* Compare one output. */
const struct cairn_error *status_out(struct status_result *res, struct work *w,
				     const struct out *o);
void status_result_release(struct status_result *res);

/* "up to date", "modified", "missing", "not in cache". */
const char *status_kind_name(enum status_kind k);
/* "added", "modified", "deleted". */
const char *status_change_name(enum tree_change c);

#endif
