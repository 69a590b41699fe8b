/*
 * cachewalk.h: listing and removing what a cache folder holds, for gc and
 * fsck: the objects (files named sha256/<2 hex>/<62 hex>; other names are
 * not objects and are left alone) and the temp files of interrupted
 * inserts (<cache>/tmp/ and its temp folders tmp/wN/). Never follows a
 * symlink. Thread-safe.
 */
#ifndef CAIRN_CORE_CACHEWALK_H
#define CAIRN_CORE_CACHEWALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/oid.h"

struct cache;

/* One object; st is its lstat. A callback error stops the walk. */
typedef const struct cairn_error *(*cachewalk_object_cb)(const struct oid *id,
							  const struct stat *st, void *arg);
/* One temp file, by name inside <cache>/tmp ("obj-1-2" or "w0/obj-1-2"). */
typedef const struct cairn_error *(*cachewalk_temp_cb)(const char *name, const struct stat *st,
							void *arg);

/* Visit every object, fan-out folder by fan-out folder. */
const struct cairn_error *cachewalk_objects(const struct cache *c, cachewalk_object_cb cb,
					    void *arg);
/* Visit every file in <cache>/tmp and its temp folders. */
const struct cairn_error *cachewalk_temps(const struct cache *c, cachewalk_temp_cb cb, void *arg);

/* The size of each of n objects, -1 when absent: one stat each, on jobs threads. */
const struct cairn_error *cachewalk_sizes(int64_t *sizes, const struct cache *c,
					  const struct oid *ids, size_t n, int jobs);

/* Remove an object (gone already is fine). */
const struct cairn_error *cachewalk_remove_object(const struct cache *c, const struct oid *id);
/* Remove a temp file named as cachewalk_temps does (gone already is fine; any other name is USAGE). */
const struct cairn_error *cachewalk_remove_temp(const struct cache *c, const char *name);

#endif
