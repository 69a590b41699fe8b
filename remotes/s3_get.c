/*
 * s3_get.c: downloads through the worker pool of netfetch.h. Only a 200
 * answer is the object; its body streams into a cache_writer, which hashes
 * it, and enters the cache only if the hash is its name, so neither a
 * corrupt object nor the body of a redirect or an error ever becomes
 * content (CASES C17). A 404 without NoSuchBucket is a missing object.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "remotes/netfetch.h"
#include "remotes/s3_int.h"

static void s3_gf_setup(struct net_fetch *f, const struct remote_item *it, struct net_req *r,
			CURL *easy)
{
	char *key = s3_key(f->backend, &it->id);

	s3_request(f->backend, r, easy, key, NULL, NULL);
	free(key);
}

static enum net_fetch_answer s3_gf_answer(const struct net_fetch *f, const struct net_req *r)
{
	(void)f;
	if (r->rc == CURLE_OK && r->status == 200)
		return NET_FETCH_FOUND;
	if (r->rc == CURLE_OK && r->status == 404 && !s3_no_bucket(r))
		return NET_FETCH_MISSING;
	return NET_FETCH_FAILED;
}

static const struct cairn_error *s3_gf_fail(struct net_fetch *f, const struct remote_item *it,
					    const struct net_req *r)
{
	(void)it;
	return s3_fail(f->backend, r, "GET");
}

static const struct cairn_error *s3_gf_corrupt(struct net_fetch *f, const struct remote_item *it,
					       const struct cairn_error *why)
{
	const struct s3_remote *s = f->backend;

	return err_hint(err_new(CAIRN_ERR_CORRUPT, "object '%s' in bucket '%s' is corrupt (%s)",
				oid_hex(&it->id), s->loc.bucket, why->msg),
			"it was not stored; run 'cairn push --verify' in a clone that has a good copy: "
			"it replaces damaged objects on the remote");
}

static const struct net_fetch_ops s3_fetch_ops = {
	.setup = s3_gf_setup,
	.answer = s3_gf_answer,
	.transient = s3_transient,
	.fail = s3_gf_fail,
	.corrupt = s3_gf_corrupt,
};

const struct cairn_error *s3_get(struct remote *rem, struct cache *c, struct remote_item *items,
				 size_t n, const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	struct net_fetch f = { &s3_fetch_ops, s, s->x, c, items, n };

	return net_fetch_run(&f, s3_jobs(s, b), b);
}
