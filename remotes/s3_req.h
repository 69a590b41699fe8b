/*
 * s3_req.h: what libcurl 7.88's SigV4 signer must be given exactly right
 * (../shared/S3.md): keys strictly percent-encoded in the path (only '/'
 * kept), an already-canonical query string (sorted by name, strictly
 * encoded, '=' after every name), and the request URL in path-style or
 * virtual-host form. curl signs what it gets, so these strings are the
 * signing inputs. Thread-safe (no shared state).
 */
#ifndef CAIRN_REMOTES_S3_REQ_H
#define CAIRN_REMOTES_S3_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/* Where a remote's objects live. */
struct s3_loc {
	char *base;      /* "scheme://host[:port][/path]" with the bucket for virtual-host style */
	char *bucket;    /* bucket name */
	char *prefix;    /* key prefix ending in '/', or "" */
	char *region;    /* signing region */
	bool path_style; /* bucket in the path instead of the host name */
};

/* One query parameter (name and value unencoded). */
struct s3_qparam {
	char *name, *value;
};
struct s3_query {
	struct s3_qparam *v;
	size_t n, cap;
};
#define S3_QUERY_INIT { NULL, 0, 0 }

/*
 * Append s[0..n) percent-encoded: only A-Z a-z 0-9 - _ . ~ (and '/' with
 * keep_slash) stay as they are; every other byte becomes %XX, upper-case hex.
 */
void s3_encode(struct buf *b, const char *s, size_t n, bool keep_slash);
/* Decode %XX escapes (and nothing else) of s[0..n) into b; false on a bad escape. */
bool s3_decode(struct buf *b, const char *s, size_t n);

void s3_query_add(struct s3_query *q, const char *name, const char *value);
/* The canonical query: encoded name=value pairs sorted by name then value, joined by '&'. Caller frees. */
char *s3_query_build(const struct s3_query *q);
void s3_query_release(struct s3_query *q);

/*
 * Fill l from an s3://bucket[/prefix] URL, an endpoint (NULL for AWS;
 * "host[:port]" means https) and the region. path_style < 0 picks the
 * default: path style with a custom endpoint or a bucket name that is no
 * DNS label, virtual-host style for AWS otherwise. FORMAT on a bad URL.
 * Release with s3_loc_release.
 */
const struct cairn_error *s3_loc_init(struct s3_loc *l, const char *url, const char *endpoint,
				      const char *region, int path_style);
void s3_loc_release(struct s3_loc *l);
/* URL of key (already prefixed; NULL for the bucket itself) with a canonical query or NULL. Caller frees. */
char *s3_loc_url(const struct s3_loc *l, const char *key, const char *query);
/* The CURLOPT_AWS_SIGV4 parameter, "aws:amz:<region>:s3". Caller frees. */
char *s3_loc_sigv4(const struct s3_loc *l);

#endif
