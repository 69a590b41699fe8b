/*
 * net.h: the HTTP transfer engine of the S3 and HTTP backends. A queue of
 * requests runs over one libcurl multi handle, at most `jobs` at a time,
 * with retries after an exponential backoff, cancellation through the
 * xferinfo callback, and byte progress. err_curl is the one adapter from
 * libcurl and HTTP failures to cairn errors. Single-threaded: every
 * callback runs in the thread that called net_run.
 */
#ifndef CAIRN_REMOTES_NET_H
#define CAIRN_REMOTES_NET_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/oid.h"
#include "remotes/remote.h"

struct cache;
struct cache_writer;
struct net;
struct net_req;

/* seconds a transfer may go without a byte before it counts as stalled */
#define NET_TIMEOUT_DEFAULT 60

/* Set up the easy handle for one attempt: URL, method, r->hdrs, body. */
typedef const struct cairn_error *(*net_setup_cb)(struct net_req *r, CURL *easy);
/* An attempt ended (r->rc, r->status, r->body): retry, queue next steps, or return an error. */
typedef const struct cairn_error *(*net_done_cb)(struct net_req *r);
/* Body bytes of a 2xx answer, when set (other answers always go to r->body). */
typedef const struct cairn_error *(*net_sink_cb)(struct net_req *r, const char *data, size_t n);

struct net_req {
	net_setup_cb setup;     /* set by the caller */
	net_done_cb done;
	net_sink_cb sink;       /* NULL: every body goes to body */
	void *arg;
	size_t body_max;         /* cap of body (0: 1 MiB); bytes beyond it are dropped */
	bool count_bytes;        /* report the bytes moved as progress */
	struct curl_slist *hdrs; /* request headers set by setup; freed after each attempt */
	/* the outcome of the last attempt, for done */
	CURLcode rc;             /* CURLE_OK, or the transport failure */
	long status;             /* HTTP status, 0 when none came */
	char errbuf[CURL_ERROR_SIZE];
	struct buf body;         /* the answer body (see sink), reset before each attempt */
	struct buf headers;      /* the final answer's header lines */
	bool sink_failed;        /* the sink returned sink_err */
	struct err_copy sink_err;
	int attempt;             /* 0 for the first */
	/* engine state */
	struct net *x;
	CURL *easy;
	struct net_req *next;
	int64_t not_before;      /* monotonic ns */
	uint64_t reported;       /* bytes reported as progress */
	int fd;                  /* upload source (net_upload_fd) */
	uint64_t up_off, up_len, up_pos;
	int to_sink;             /* -1 undecided, 0 no, 1 yes */
};

/*
 * An engine; retries is the number of attempts after the first, and a
 * transfer that receives or sends nothing for timeout seconds fails (and
 * is retried). Free with net_free.
 */
struct net *net_new(int retries, int timeout);
void net_free(struct net *x);

/* Queue r (its fields from setup on are reset); at the back, or first for next steps. */
void net_add(struct net *x, struct net_req *r);
void net_add_front(struct net *x, struct net_req *r);
/* Forget every queued request (nothing may be in flight). */
void net_drop(struct net *x);
/* From done: try r again after a backoff; false when its attempts are used up or the run failed. */
bool net_retry(struct net_req *r);
/* True when the attempt failed in a way worth retrying: a reset, a timeout, a 5xx. */
bool net_transient(const struct net_req *r);
/* Report progress to the batch's callback. */
void net_progress(struct net *x, uint64_t bytes, uint64_t objects);

/*
 * Run until nothing is queued or in flight. The first error (from done, a
 * cancel) stops new requests; requests in flight end (a cancel aborts
 * them), queued ones are dropped. jobs <= 0 means 1.
 */
const struct cairn_error *net_run(struct net *x, int jobs, const struct remote_batch *b);

/* From setup: send len bytes of fd from off as the body of a PUT. */
void net_upload_fd(struct net_req *r, CURL *easy, int fd, uint64_t off, uint64_t len);
/* A header of the answer (name without ':'), trimmed; caller frees; NULL when absent. */
char *net_header(const struct net_req *r, const char *name);

/*
 * Downloads into the cache: with r->sink = net_cache_sink and r->arg a
 * struct net_cache_dst, a 2xx body streams into a cache_writer (made at
 * the first byte); net_cache_finish stores it only if it hashes to id
 * (CORRUPT otherwise: nothing is stored), net_cache_abort drops it.
 */
struct net_cache_dst {
	struct cache *c;
	struct cache_writer *w;
};
const struct cairn_error *net_cache_sink(struct net_req *r, const char *data, size_t n);
const struct cairn_error *net_cache_finish(struct net_cache_dst *d, const struct oid *id);
void net_cache_abort(struct net_cache_dst *d);

/*
 * The adapter: "<what>: <cause>". A transport failure (rc) is told by
 * curl's error buffer (else curl_easy_strerror) and is REMOTE; an HTTP
 * status is AUTH for 401 and 403, NOT_FOUND for 404, REMOTE otherwise,
 * and detail (an S3 <Code>, say) follows the status when given.
 */
const struct cairn_error *err_curl(CURLcode rc, const char *errbuf, long status,
				   const char *detail, const char *what, ...) CAIRN_PRINTF(5, 6);

#endif
