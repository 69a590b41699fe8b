/*
 * netfetch.c: the worker pool of netfetch.h. Each worker owns one request
 * and one cache destination; when an item ends it takes the next one, so
 * at most `jobs` transfers are in flight. A retry starts over with a new
 * cache writer.
 */
#include "buildconf.h"

#include "remotes/netfetch.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

struct net_fetch_w { /* a worker */
	struct net_req req;
	struct net_fetch *f;
	size_t item;
	struct net_cache_dst dst;
	size_t *cursor; /* the next item to take, shared by the workers */
};

static const struct cairn_error *net_fetch_setup(struct net_req *r, CURL *easy)
{
	struct net_fetch_w *w = (struct net_fetch_w *)r;

	net_cache_abort(&w->dst); /* what an earlier attempt wrote */
	w->f->ops->setup(w->f, &w->f->items[w->item], r, easy);
	if (w->f->c == NULL)
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
	return NULL;
}

/* Take the next item; false when there is none. */
static bool net_fetch_next(struct net_fetch_w *w)
{
	if (*w->cursor >= w->f->n)
		return false;
	w->item = (*w->cursor)++;
	w->req.attempt = 0;
	net_add(w->f->x, &w->req);
	return true;
}

static const struct cairn_error *net_fetch_done(struct net_req *r)
{
	struct net_fetch_w *w = (struct net_fetch_w *)r;
	struct net_fetch *f = w->f;
	struct remote_item *it = &f->items[w->item];
	enum net_fetch_answer a = r->sink_failed ? NET_FETCH_FAILED : f->ops->answer(f, r);
	const struct cairn_error *e;

	if (a == NET_FETCH_FOUND) {
		if (f->c && (e = net_cache_finish(&w->dst, &it->id)) != NULL) {
			it->state = REMOTE_FAILED;
			return err_is(e, CAIRN_ERR_CORRUPT) ? f->ops->corrupt(f, it, e) : e;
		}
		it->state = REMOTE_DONE;
		net_progress(r->x, 0, f->c != NULL);
	} else if (a == NET_FETCH_MISSING) {
		net_cache_abort(&w->dst);
		it->state = REMOTE_MISSING;
	} else {
		net_cache_abort(&w->dst);
		if (!r->sink_failed && f->ops->transient(r) && net_retry(r))
			return NULL;
		it->state = REMOTE_FAILED;
		if (r->sink_failed)
			return err_load(&r->sink_err);
		return f->ops->fail(f, it, r);
	}
	net_fetch_next(w);
	return NULL;
}

const struct cairn_error *net_fetch_run(struct net_fetch *f, int jobs,
					const struct remote_batch *b)
{
	const struct cairn_error *e;
	struct net_fetch_w *ws;
	size_t k, cursor = 0;
	int i;

	if (f->n == 0)
		return NULL;
	if (jobs < 1)
		jobs = 1;
	for (k = 0; k < f->n; k++)
		f->items[k].state = REMOTE_PENDING;
	ws = xcalloc((size_t)jobs, sizeof(*ws));
	for (i = 0; i < jobs; i++) {
		ws[i].f = f;
		ws[i].cursor = &cursor;
		ws[i].dst.c = f->c;
		ws[i].req.setup = net_fetch_setup;
		ws[i].req.done = net_fetch_done;
		ws[i].req.arg = &ws[i].dst;
		ws[i].req.sink = f->c ? net_cache_sink : NULL;
		ws[i].req.count_bytes = f->c != NULL;
		if (!net_fetch_next(&ws[i]))
			break;
	}
	e = net_run(f->x, jobs, b);
	for (i = 0; i < jobs; i++) {
		net_cache_abort(&ws[i].dst);
		buf_release(&ws[i].req.body);
		buf_release(&ws[i].req.headers);
	}
	free(ws);
	return e;
}
