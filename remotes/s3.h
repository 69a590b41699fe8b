/*
 * s3.h: the S3 backend of struct remote_ops (remote.h) for s3://bucket/prefix
 * URLs: AWS S3 and S3-compatible stores (an endpoint setting). Settings are
 * read from remote.<name>.* (see man/cairn-s3.7); credentials follow the
 * AWS chain (s3_cred.h). One handle per thread.
 */
#ifndef CAIRN_REMOTES_S3_H
#define CAIRN_REMOTES_S3_H

#include "core/error.h"

struct config;
struct remote;

/*
 * Open the S3 remote called name whose URL is url, with its settings from
 * cfg (may be NULL: defaults and the environment only). root is unused.
 * FORMAT for a bad URL or setting, AUTH when no credentials are found.
 * Nothing is sent until the first call. Caller frees with remote_close
 * (or r->ops->close).
 */
const struct cairn_error *s3_remote_open(struct remote **out, const char *name, const char *url,
					 struct config *cfg, const char *root);

#endif
