/*
 * s3_int.h: what the files of the S3 backend share: the handle, the
 * request helpers every S3 call uses (URL, signing, the always-sent
 * x-amz-content-sha256), the mapping of S3 answers to one clear error
 * naming the bucket, and the batch calls each file implements. Private to
 * remotes/s3*.c.
 */
#ifndef CAIRN_REMOTES_S3_INT_H
#define CAIRN_REMOTES_S3_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "remotes/remote.h"
#include "remotes/s3_cred.h"
#include "remotes/s3_req.h"
#include "remotes/net.h"

#define S3_MiB (1024ULL * 1024)
#define S3_PART_MIN (5 * S3_MiB)              /* S3's smallest part but the last */
#define S3_PART_MAX (5 * 1024 * S3_MiB)       /* and its largest */
#define S3_PUT_MAX (5 * 1024 * S3_MiB)        /* the largest single PUT */
#define S3_PARTS_MAX 10000
#define S3_LIST_BODY_MAX (16u << 20)          /* a ListObjectsV2 page of 1,000 keys is far less */

struct s3_remote {
	struct remote base;  /* first: callers see a struct remote */
	struct s3_loc loc;
	struct s3_cred cred;
	char *sigv4;         /* CURLOPT_AWS_SIGV4 */
	char *sse;           /* x-amz-server-side-encryption value, or NULL */
	uint64_t threshold;  /* multipart upload above this size */
	uint64_t chunk;      /* part size */
	uint64_t max_put;    /* single PUT limit (S3_PUT_MAX unless CAIRN_S3_MAX_PUT) */
	unsigned page;       /* max-keys of a listing page, 0 for S3's 1,000 (CAIRN_S3_PAGE) */
	struct net *x;
};

/* The key of an object below the remote's prefix (caller frees). */
char *s3_key(const struct s3_remote *s, const struct oid *id);
/*
 * Start a request on easy: URL of key (NULL: the bucket) with a canonical
 * query (or NULL), SigV4, the payload hash (NULL: the empty body's) and the
 * session token. Further headers go through s3_header.
 */
void s3_request(struct s3_remote *s, struct net_req *r, CURL *easy, const char *key,
		const char *query, const char *payload_sha256);
void s3_header(struct net_req *r, const char *fmt, ...) CAIRN_PRINTF(2, 3);

/* The S3 error code of a failed answer (caller frees), or NULL. */
char *s3_answer_code(const struct net_req *r);
/* A 404 that says the bucket, not the object, is missing. */
bool s3_no_bucket(const struct net_req *r);
/* Worth another attempt: a reset, a timeout, a 5xx, SlowDown, RequestTimeout. */
bool s3_transient(const struct net_req *r);
/* The one error line for a failed request: op ("PUT", "LIST"...) in the bucket, and why. */
const struct cairn_error *s3_fail(struct s3_remote *s, const struct net_req *r, const char *op);

/* The batch calls (s3_exists.c, s3_put.c, s3_get.c). */
const struct cairn_error *s3_exists(struct remote *r, struct remote_item *items, size_t n,
				    const struct remote_batch *b);
const struct cairn_error *s3_put(struct remote *r, struct cache *c, struct remote_item *items,
				 size_t n, const struct remote_batch *b);
const struct cairn_error *s3_get(struct remote *r, struct cache *c, struct remote_item *items,
				 size_t n, const struct remote_batch *b);
const struct cairn_error *s3_list(struct remote *r, remote_list_cb cb, void *arg,
				  const struct remote_batch *b);
const struct cairn_error *s3_del(struct remote *r, struct remote_item *items, size_t n,
				 const struct remote_batch *b);

/*
 * Set up r as one page of a ListObjectsV2 of prefix: from the continuation
 * token when there is one, else after the key after (or from the start),
 * with max-keys when a page size is set.
 */
void s3_list_request(struct s3_remote *s, struct net_req *r, CURL *easy, const char *prefix,
		     const char *token, const char *after);
/* Parallel transfers for a batch. */
int s3_jobs(const struct s3_remote *s, const struct remote_batch *b);

#endif
