/*
 * http.h: the read-only HTTP(S) backend of struct remote_ops (remote.h):
 * objects are fetched with GET from <url>/sha256/<2 hex>/<62 hex> (any
 * static file server over a pushed local remote will do) and their
 * presence asked with HEAD. put and del refuse; list is not possible over
 * plain HTTP. One handle per thread.
 */
#ifndef CAIRN_REMOTES_HTTP_H
#define CAIRN_REMOTES_HTTP_H

#include "core/error.h"

struct config;
struct remote;

/*
 * Open the http:// or https:// remote called name at url, with its jobs
 * and retries settings from cfg (may be NULL). root is unused. FORMAT for
 * a bad URL. Caller frees with remote_close (or r->ops->close).
 */
const struct cairn_error *http_remote_open(struct remote **out, const char *name,
					   const char *url, struct config *cfg, const char *root);

#endif
