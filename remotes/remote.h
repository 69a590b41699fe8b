/*
 * remote.h: the storage behind push, fetch and pull (DESIGN 7). One
 * interface, struct remote_ops, with one backend per URL kind: a local
 * folder (local_), S3 and S3-compatible stores (s3_), plain HTTP(S)
 * read-only (http_). Objects keep the cache layout sha256/<2 hex>/<62 hex>
 * under the remote's root. Invariants every backend keeps:
 *   - an upload never leaves a partial object under its final name;
 *   - a download is hashed while it streams and enters the cache only when
 *     the hash equals its name (through a cache_writer with expect);
 *   - presence is asked of the remote (a listing or HEADs), never guessed.
 * Calls take batches so each backend chooses its own parallelism (a thread
 * pool, the libcurl multi interface). A handle is used by one thread at a
 * time; a backend may run threads inside one call.
 */
#ifndef CAIRN_REMOTES_REMOTE_H
#define CAIRN_REMOTES_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/par.h"

struct cache;
struct config;
struct remote;

/* What became of one object of a batch. */
enum remote_item_state {
	REMOTE_PENDING, /* not tried yet (the batch stopped early) */
	REMOTE_DONE,    /* present on the remote / transferred */
	REMOTE_MISSING, /* not on the remote (exists, get) */
	REMOTE_FAILED,  /* tried and failed; the batch's error says why */
};

#define REMOTE_SIZE_UNKNOWN UINT64_MAX

/* One object of a batch; the caller fills id and size, the backend state. */
struct remote_item {
	struct oid id;
	uint64_t size;                /* bytes, or REMOTE_SIZE_UNKNOWN */
	enum remote_item_state state; /* set by the backend */
	int64_t mtime_ns;             /* exists: when it was written, if the backend tells; else 0 */
};

/* Progress: bytes and objects finished since the last call. Never called concurrently. */
typedef void (*remote_progress_cb)(uint64_t bytes, uint64_t objects, void *arg);
/* mtime_ns of a listed object whose age the remote does not tell */
#define REMOTE_MTIME_UNKNOWN INT64_MIN
/*
 * One object found by remote_list: its id and when it was last written on
 * the remote (ns since the epoch, by the remote's clock), or
 * REMOTE_MTIME_UNKNOWN.
 */
typedef const struct cairn_error *(*remote_list_cb)(const struct oid *id, int64_t mtime_ns,
						    void *arg);

/* How a batch runs. */
struct remote_batch {
	int jobs;                    /* parallel transfers; <= 0: the remote's default */
	remote_progress_cb progress; /* may be NULL */
	void *progress_arg;
	par_cancel_cb cancel;        /* polled between objects and inside transfers */
	void *cancel_arg;
};

/*
 * A backend. Every batch call returns the first error (a transfer that
 * failed after its retries, a cancel) after letting transfers in flight
 * end; items keep the state each reached. A missing object is not an
 * error for exists and get: its state is REMOTE_MISSING.
 */
struct remote_ops {
	const char *kind; /* "local", "s3", "http" */
	bool read_only;   /* put and del refuse */
	void (*close)(struct remote *r);
	/* Set each item's state to DONE (present) or MISSING. */
	const struct cairn_error *(*exists)(struct remote *r, struct remote_item *items, size_t n,
					    const struct remote_batch *b);
	/* Upload each item from cache c (items already present may be skipped). */
	const struct cairn_error *(*put)(struct remote *r, struct cache *c, struct remote_item *items,
					 size_t n, const struct remote_batch *b);
	/* Download each item into cache c, hash-verified; the caller runs cache_flush. */
	const struct cairn_error *(*get)(struct remote *r, struct cache *c, struct remote_item *items,
					 size_t n, const struct remote_batch *b);
	/* Visit the id of every object on the remote (temp and foreign names are skipped). */
	const struct cairn_error *(*list)(struct remote *r, remote_list_cb cb, void *arg,
					  const struct remote_batch *b);
	/* Delete each item (a missing one counts as deleted). */
	const struct cairn_error *(*del)(struct remote *r, struct remote_item *items, size_t n,
					 const struct remote_batch *b);
	/*
	 * Renew the age of each item (objects a push found on the remote, did
	 * not send, and found old), so that a gc --cloud elsewhere keeps them
	 * for gc.grace while the commit naming them is made. Best effort: an
	 * object that cannot be touched is left as it is. NULL when the
	 * backend cannot do it cheaply.
	 */
	const struct cairn_error *(*refresh)(struct remote *r, struct remote_item *items, size_t n,
					     const struct remote_batch *b);
};

/* The part of every backend's handle that callers may read; backends embed it first. */
struct remote {
	const struct remote_ops *ops;
	char *name; /* the configured name ("origin"), or the URL when opened by URL */
	char *url;  /* the URL as configured (never holds a secret) */
	int jobs;   /* default parallel transfers (remote.NAME.jobs) */
};

/*
 * Settings, remote.<name>.<key> (cairn-config(5)): url, jobs; for S3 also
 * endpoint, region, profile, accessKeyId, secretAccessKey, sessionToken,
 * pathStyle, multipartThreshold, multipartChunk, sse. Git-config names
 * cannot hold '_' (libgit2 refuses such a file whole), so these are
 * camelCase; config_get_* matches them case-insensitively, and
 * 'cairn config' and 'cairn remote modify' turn a typed secret_access_key
 * into secretAccessKey. Credentials live in .cairn/config.local only.
 */

/*
 * Open the remote called name (remote.<name>.url and its other settings in
 * cfg), or the default remote (core.remote) when name is NULL. NOT_FOUND
 * when there is no such remote or no default; root resolves a relative
 * local path. Caller frees with remote_close.
 */
const struct cairn_error *remote_open(struct remote **out, struct config *cfg, const char *name,
				      const char *root);
void remote_close(struct remote *r);

/*
 * The kind of backend a URL needs: "local" (a path or file://), "s3"
 * (s3://bucket[/prefix]), "http" (http:// or https://), or NULL for any
 * other scheme.
 */
const char *remote_url_kind(const char *url);

/* Object key below a remote's root: "sha256/ab/cdef..." (caller frees). */
char *remote_object_key(const struct oid *id);
/* Parse a key of that form back into an id; false for anything else. */
bool remote_parse_key(struct oid *id, const char *key);

#endif
