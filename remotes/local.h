/*
 * local.h: the local folder backend of remote.h (a path or file:// URL):
 * objects under <folder>/sha256/<2 hex>/<62 hex>, uploads through
 * <folder>/tmp/ (temp, sync, rename), parallel transfers on core/par's
 * pool. The folder is created by the first upload when its parent exists.
 */
#ifndef CAIRN_REMOTES_LOCAL_H
#define CAIRN_REMOTES_LOCAL_H

#include "core/error.h"

struct config;
struct remote;

/*
 * Open the local remote called name at url (a path, relative paths taken
 * from root, or file:///path). Nothing is touched until the first call.
 * Caller frees with remote_close.
 */
const struct cairn_error *local_remote_open(struct remote **out, const char *name,
					    const char *url, struct config *cfg, const char *root);

#endif
