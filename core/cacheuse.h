/*
 * cacheuse.h: the projects that use one cache (DESIGN 3: cache.dir may put
 * several work trees on one shared cache). Each project registers its work
 * tree root in <cache>/projects/ the first time it opens the cache, so gc
 * in one project keeps what the others still use (scenario C23). One file
 * per project, named by the SHA-256 of its root and holding the root, each
 * written atomically. Thread-safe (files only).
 */
#ifndef CAIRN_CORE_CACHEUSE_H
#define CAIRN_CORE_CACHEUSE_H

#include "core/error.h"

/* Record that the work tree at root uses the cache in cache_dir (once; cheap after). */
const struct cairn_error *cacheuse_register(const char *cache_dir, const char *root);

/* Visit the root of every registered project; file is its registration (for messages). */
typedef const struct cairn_error *(*cacheuse_cb)(const char *root, const char *file, void *arg);
const struct cairn_error *cacheuse_list(const char *cache_dir, cacheuse_cb cb, void *arg);

/* Remove the registration of root (a project that moved to another cache). */
const struct cairn_error *cacheuse_forget(const char *cache_dir, const char *root);

#endif
