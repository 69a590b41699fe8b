/*
 * s3_get.c: downloads. A pool of `jobs` workers GETs one object after
 * another. The body of a 2xx answer streams into a cache_writer, which
 * hashes it; the object enters the cache only if the hash is its name, so
 * neither a corrupt object nor the body of a redirect or an error ever
 * becomes content (CASES C17). A retry starts over with a new writer.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "remotes/s3_int.h"

struct s3_gb { /* the batch */
	struct s3_remote *s;
	struct cache *c;
	struct remote_item *items;
	size_t n, next;
};

struct s3_gw { /* a worker */
	struct net_req req;
	struct s3_gb *gb;
	size_t item;
	struct net_cache_dst dst;
};

static const struct cairn_error *s3_gw_setup(struct net_req *r, CURL *easy)
{
	struct s3_gw *g = (struct s3_gw *)r;
	char *key = s3_key(g->gb->s, &g->gb->items[g->item].id);

	net_cache_abort(&g->dst); /* what an earlier attempt wrote */
	s3_request(g->gb->s, r, easy, key, NULL, NULL);
	free(key);
	return NULL;
}

/* Take the next item; false when there is none. */
static bool s3_gw_next(struct s3_gw *g)
{
	struct s3_gb *gb = g->gb;

	if (gb->next >= gb->n)
		return false;
	g->item = gb->next++;
	g->req.attempt = 0;
	net_add(gb->s->x, &g->req);
	return true;
}

static const struct cairn_error *s3_gw_done(struct net_req *r)
{
	struct s3_gw *g = (struct s3_gw *)r;
	struct s3_gb *gb = g->gb;
	struct remote_item *it = &gb->items[g->item];
	const struct cairn_error *e;

	if (r->rc == CURLE_OK && r->status == 200 && !r->sink_failed) {
		e = net_cache_finish(&g->dst, &it->id);
		if (err_is(e, CAIRN_ERR_CORRUPT)) {
			it->state = REMOTE_FAILED;
			return err_hint(err_new(CAIRN_ERR_CORRUPT,
						"object '%s' in bucket '%s' is corrupt (%s)",
						oid_hex(&it->id), gb->s->loc.bucket, e->msg),
					"it was not stored; push a good copy from a clone that has "
					"one");
		}
		if (e) {
			it->state = REMOTE_FAILED;
			return e;
		}
		it->state = REMOTE_DONE;
		net_progress(r->x, 0, 1);
	} else if (r->rc == CURLE_OK && r->status == 404 && !s3_no_bucket(r)) {
		net_cache_abort(&g->dst);
		it->state = REMOTE_MISSING;
	} else {
		net_cache_abort(&g->dst);
		if (!r->sink_failed && s3_transient(r) && net_retry(r))
			return NULL;
		it->state = REMOTE_FAILED;
		return s3_fail(gb->s, r, "GET");
	}
	s3_gw_next(g);
	return NULL;
}

const struct cairn_error *s3_get(struct remote *rem, struct cache *c, struct remote_item *items,
				 size_t n, const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	const struct cairn_error *e;
	struct s3_gb gb;
	struct s3_gw *ws;
	int jobs = s3_jobs(s, b), i;
	size_t k;

	if (n == 0)
		return NULL;
	memset(&gb, 0, sizeof(gb));
	gb.s = s;
	gb.c = c;
	gb.items = items;
	gb.n = n;
	for (k = 0; k < n; k++)
		items[k].state = REMOTE_PENDING;
	ws = xcalloc((size_t)jobs, sizeof(*ws));
	for (i = 0; i < jobs; i++) {
		ws[i].gb = &gb;
		ws[i].req.setup = s3_gw_setup;
		ws[i].req.done = s3_gw_done;
		ws[i].req.sink = net_cache_sink;
		ws[i].req.arg = &ws[i].dst;
		ws[i].dst.c = c;
		ws[i].req.count_bytes = true;
		if (!s3_gw_next(&ws[i]))
			break;
	}
	e = net_run(s->x, jobs, b);
	for (i = 0; i < jobs; i++) {
		net_cache_abort(&ws[i].dst);
		buf_release(&ws[i].req.body);
		buf_release(&ws[i].req.headers);
	}
	free(ws);
	return e;
}
