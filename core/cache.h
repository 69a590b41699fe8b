/*
 * cache.h: the local content-addressed object cache (DESIGN 3).
 * Layout <dir>/sha256/<2 hex>/<62 hex>, objects read-only. An object only
 * becomes visible by rename after its hash was computed and checked, and
 * only after its bytes are on disk: small objects are batched and made
 * durable together by cache_flush. Thread-safe (inserts from many threads).
 */
#ifndef CAIRN_CORE_CACHE_H
#define CAIRN_CORE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/oid.h"

struct cache;
struct cache_writer;

/* Open (creating if needed) the cache at dir. Caller frees with cache_close. */
const struct cairn_error *cache_open(struct cache **out, const char *dir);
/*
 * A cache that keeps nothing: its writers only hash and compare with the
 * expected id (cache_writer_finish's CORRUPT), and it never holds an
 * object. Downloading into it checks what a remote holds (push --verify).
 */
const struct cairn_error *cache_open_checker(struct cache **out);
/* Close; objects not yet flushed are discarded (their temp files removed). */
void cache_close(struct cache *c);

const char *cache_dir(const struct cache *c);
/* Where cache_quarantine moves corrupt objects (default <dir>/quarantine). */
void cache_set_quarantine(struct cache *c, const char *dir);
/* Path of an object (it may not exist). Caller frees. */
char *cache_path(const struct cache *c, const struct oid *id);
/* True when the object is present (and visible). */
bool cache_has(const struct cache *c, const struct oid *id);
/* Like cache_has, and gives the object's size. */
bool cache_has_size(const struct cache *c, const struct oid *id, uint64_t *size);
/* Like cache_has, and refreshes the object's mtime so gc's grace period protects it. */
bool cache_has_fresh(const struct cache *c, const struct oid *id);
/* lstat an object; NOT_FOUND when absent, CORRUPT when not a regular file. */
const struct cairn_error *cache_stat_object(struct stat *st, const struct cache *c,
					    const struct oid *id);
/* Open an object for reading; NOT_FOUND when absent. */
const struct cairn_error *cache_open_object(int *fd, uint64_t *size, const struct cache *c,
					    const struct oid *id);
/* Read a whole small object (manifests) into a NUL-terminated buffer; checks its hash. */
const struct cairn_error *cache_read_small(char **data, size_t *len, const struct cache *c,
					   const struct oid *id, size_t max);

/* Streaming insert: bytes are hashed as they are written to a temp file. */
const struct cairn_error *cache_writer_new(struct cache_writer **out, struct cache *c);
const struct cairn_error *cache_writer_write(struct cache_writer *w, const void *data, size_t n);
/*
 * Finish: the id of what was written goes to *id. With expect, a different
 * hash is CORRUPT and nothing enters the cache. Frees w in every case.
 */
const struct cairn_error *cache_writer_finish(struct oid *id, struct cache_writer *w,
					      const struct oid *expect);
void cache_writer_abort(struct cache_writer *w);

/* Insert what fd holds from its offset to EOF; one read of each byte. */
const struct cairn_error *cache_insert_fd(struct oid *id, uint64_t *size, struct cache *c, int fd);
/* Insert a memory buffer (manifests). */
const struct cairn_error *cache_insert_buf(struct oid *id, struct cache *c, const void *data,
					   size_t len);
/* Make every pending insert durable and visible (one syncfs, renames, folder syncs). */
const struct cairn_error *cache_flush(struct cache *c);

/*
 * Move an object into the quarantine folder under a name not used yet
 * (never replacing anything there); *dst gets its new path (caller frees).
 */
const struct cairn_error *cache_quarantine_object(char **dst, struct cache *c,
						  const struct oid *id);
/*
 * Move a corrupt object out of the way into the quarantine folder (never
 * deleted) so a later fetch can bring a good copy. Returns e, with a note
 * of where the object went.
 */
const struct cairn_error *cache_quarantine(struct cache *c, const struct oid *id,
					   const struct cairn_error *e);

/* Rehash an object; CORRUPT when its content no longer matches its name. */
const struct cairn_error *cache_verify(const struct cache *c, const struct oid *id);

#endif
