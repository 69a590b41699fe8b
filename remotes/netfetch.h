/*
 * netfetch.h: a batch of object downloads (GET into the cache) or
 * presence checks (HEAD) over the transfer engine (net.h), shared by the
 * backends that fetch one object per request (S3, HTTP). A pool of `jobs`
 * workers takes one item after another; the backend says how to ask for
 * an object and how to read the answer. A downloaded body enters the cache
 * only when it hashes to the object's name (CASES C17). Not thread-safe.
 */
#ifndef CAIRN_REMOTES_NETFETCH_H
#define CAIRN_REMOTES_NETFETCH_H

#include <curl/curl.h>
#include <stdbool.h>

#include "core/error.h"
#include "remotes/net.h"
#include "remotes/remote.h"

struct net_fetch;

enum net_fetch_answer {
	NET_FETCH_FOUND,   /* the answer is the object (its body, or a HEAD's yes) */
	NET_FETCH_MISSING, /* the remote does not hold it */
	NET_FETCH_FAILED,  /* anything else: retried when transient, else an error */
};

struct net_fetch_ops {
	/* Set up one attempt for item it (URL, method, signing) on easy. */
	void (*setup)(struct net_fetch *f, const struct remote_item *it, struct net_req *r,
		      CURL *easy);
	/* What a finished attempt (r->rc, r->status, r->body) says. */
	enum net_fetch_answer (*answer)(const struct net_fetch *f, const struct net_req *r);
	/* True when a failed attempt is worth retrying. */
	bool (*transient)(const struct net_req *r);
	/* The error of an item that failed for good. */
	const struct cairn_error *(*fail)(struct net_fetch *f, const struct remote_item *it,
					  const struct net_req *r);
	/* The error of a body that does not hash to its name (why says how). */
	const struct cairn_error *(*corrupt)(struct net_fetch *f, const struct remote_item *it,
					     const struct cairn_error *why);
};

struct net_fetch {
	const struct net_fetch_ops *ops;
	void *backend;             /* for the ops */
	struct net *x;
	struct cache *c;           /* GET into this cache; NULL: HEAD only */
	struct remote_item *items; /* each ends DONE, MISSING or FAILED (or stays PENDING) */
	size_t n;
};

/* Fetch (or check) every item with jobs workers; the first error, as net_run. */
const struct cairn_error *net_fetch_run(struct net_fetch *f, int jobs,
					const struct remote_batch *b);

#endif
