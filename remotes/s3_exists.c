/*
 * s3_exists.c: which objects of a batch are on S3. Objects are grouped by
 * their 2-hex folder (P/sha256/xx/). A folder holding one object of the
 * batch gets a HEAD; a folder holding more is listed (ListObjectsV2), each
 * page starting just before the next object not yet settled, so every
 * page settles at least one object and a listing never costs more
 * requests than HEADs would; the last unsettled object of a folder gets a
 * HEAD. A HEAD answered with an error has no body to explain it, so it is
 * asked again as a one-byte GET, whose error body names the cause.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "remotes/s3_int.h"
#include "remotes/s3_xml.h"

struct s3_ex_ord {
	struct oid id;
	size_t item;
};

struct s3_ex_head;

struct s3_ex {
	struct s3_remote *s;
	struct remote_item *items;
	struct s3_ex_ord *ord;     /* the items sorted by id */
	size_t *head;              /* items to ask with HEAD, taken from hnext on */
	size_t nhead, hnext, head_cap;
	struct s3_ex_head **idle;  /* HEAD workers with nothing to do */
	size_t nidle;
	bool bucket_seen;          /* a 404 was asked again: the bucket exists */
};

struct s3_ex_head { /* a worker asking HEAD for one item after another */
	struct net_req req;
	struct s3_ex *ex;
	size_t item;
	bool diag; /* asking again as a one-byte GET */
};

struct s3_ex_list { /* the listing of one folder */
	struct net_req req;
	struct s3_ex *ex;
	size_t pos, end; /* ord[pos..end) not settled yet */
	char *folder;    /* "P/sha256/xx/" */
	char *after;     /* start-after of the next page */
	char *last;      /* the last key of the page being read */
};

static int s3_ex_cmp(const void *a, const void *b)
{
	return oid_cmp(&((const struct s3_ex_ord *)a)->id, &((const struct s3_ex_ord *)b)->id);
}

static bool s3_ex_head_next(struct s3_ex_head *h);

/* Ask item with HEAD; an idle worker takes it at once. */
static void s3_ex_want_head(struct s3_ex *ex, size_t item)
{
	XGROW(ex->head, ex->nhead + 1, ex->head_cap);
	ex->head[ex->nhead++] = item;
	if (ex->nidle > 0)
		s3_ex_head_next(ex->idle[--ex->nidle]);
}

/* ---- HEAD ---- */

static const struct cairn_error *s3_ex_head_setup(struct net_req *r, CURL *easy)
{
	struct s3_ex_head *h = (struct s3_ex_head *)r;
	char *key = s3_key(h->ex->s, &h->ex->items[h->item].id);

	s3_request(h->ex->s, r, easy, key, NULL, NULL);
	if (h->diag)
		s3_header(r, "Range: bytes=0-0");
	else
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
	free(key);
	return NULL;
}

/* Take the next item to HEAD; false (the worker idles) when there is none. */
static bool s3_ex_head_next(struct s3_ex_head *h)
{
	struct s3_ex *ex = h->ex;

	if (ex->hnext >= ex->nhead) {
		ex->idle[ex->nidle++] = h;
		return false;
	}
	h->item = ex->head[ex->hnext++];
	h->diag = false;
	h->req.attempt = 0;
	net_add(ex->s->x, &h->req);
	return true;
}

static const struct cairn_error *s3_ex_head_done(struct net_req *r)
{
	struct s3_ex_head *h = (struct s3_ex_head *)r;
	struct remote_item *it = &h->ex->items[h->item];

	if (r->rc == CURLE_OK && (r->status == 200 || r->status == 206)) {
		it->state = REMOTE_DONE;
	} else if (r->rc == CURLE_OK && r->status == 404 && !h->diag && h->ex->bucket_seen) {
		it->state = REMOTE_MISSING;
	} else if (r->rc == CURLE_OK && r->status == 416 && h->diag) {
		it->state = REMOTE_DONE; /* a zero-byte object has no byte 0 */
	} else if (r->rc == CURLE_OK && r->status == 404 && h->diag && !s3_no_bucket(r)) {
		it->state = REMOTE_MISSING;
		h->ex->bucket_seen = true;
	} else if (s3_transient(r)) {
		if (net_retry(r))
			return NULL;
		it->state = REMOTE_FAILED;
		return s3_fail(h->ex->s, r, "HEAD");
	} else if (!h->diag && r->rc == CURLE_OK) {
		/* No body to say why (or whether the bucket exists): ask again with one. */
		h->diag = true;
		net_add_front(r->x, r);
		return NULL;
	} else {
		it->state = REMOTE_FAILED;
		return s3_fail(h->ex->s, r, "HEAD");
	}
	s3_ex_head_next(h);
	return NULL;
}

/* ---- LIST ---- */

static const struct cairn_error *s3_ex_list_setup(struct net_req *r, CURL *easy)
{
	struct s3_ex_list *l = (struct s3_ex_list *)r;
	struct s3_query q = S3_QUERY_INIT;
	char *query;

	s3_query_add(&q, "list-type", "2");
	s3_page_query(l->ex->s, &q);
	s3_query_add(&q, "prefix", l->folder);
	s3_query_add(&q, "start-after", l->after);
	query = s3_query_build(&q);
	s3_request(l->ex->s, r, easy, NULL, query, NULL);
	free(query);
	s3_query_release(&q);
	return NULL;
}

/* Settle the items up to this listed key. */
static const struct cairn_error *s3_ex_list_key(const char *key, void *arg)
{
	struct s3_ex_list *l = arg;
	struct s3_ex *ex = l->ex;
	size_t flen = strlen(l->folder);
	char hex[CAIRN_OID_HEXLEN + 1];
	int c;

	free(l->last);
	l->last = xstrdup(key);
	if (strncmp(key, l->folder, flen) != 0)
		return NULL;
	for (; l->pos < l->end; l->pos++) { /* equal ids compare equal to the same key */
		oid_tohex(hex, &ex->ord[l->pos].id);
		if ((c = strcmp(hex + 2, key + flen)) > 0)
			break;
		ex->items[ex->ord[l->pos].item].state = c == 0 ? REMOTE_DONE : REMOTE_MISSING;
	}
	return NULL;
}

static const struct cairn_error *s3_ex_list_done(struct net_req *r)
{
	struct s3_ex_list *l = (struct s3_ex_list *)r;
	struct s3_ex *ex = l->ex;
	const struct cairn_error *e;
	char hex[CAIRN_OID_HEXLEN + 1], *next = NULL, *jump;
	bool truncated;

	if (r->rc != CURLE_OK || r->status != 200) {
		if (s3_transient(r) && net_retry(r))
			return NULL;
		return s3_fail(ex->s, r, "LIST");
	}
	if ((e = s3_xml_list(&truncated, &next, r->body.s, r->body.len, s3_ex_list_key, l)) !=
	    NULL)
		return err_wrap(e, "S3 LIST in bucket '%s'", ex->s->loc.bucket);
	free(next);
	if (!truncated) {
		for (; l->pos < l->end; l->pos++)
			ex->items[ex->ord[l->pos].item].state = REMOTE_MISSING;
		return NULL;
	}
	if (l->pos >= l->end)
		return NULL;
	if (l->pos + 1 == l->end) { /* one left: a HEAD costs no more and carries less */
		s3_ex_want_head(ex, ex->ord[l->pos].item);
		l->pos = l->end;
		return NULL;
	}
	/* Start just before the next unsettled key, or after the last key read. */
	oid_tohex(hex, &ex->ord[l->pos].id);
	jump = xasprintf("%s%.*s", l->folder, CAIRN_OID_HEXLEN - 3, hex + 2);
	free(l->after);
	if (l->last && strcmp(l->last, jump) > 0) {
		l->after = l->last;
		l->last = NULL;
		free(jump);
	} else {
		l->after = jump;
	}
	r->attempt = 0;
	net_add_front(r->x, r);
	return NULL;
}

/* ---- the batch ---- */

const struct cairn_error *s3_exists(struct remote *rem, struct remote_item *items, size_t n,
				    const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	const struct cairn_error *e = NULL;
	struct s3_ex ex;
	struct s3_ex_list *lists = NULL;
	struct s3_ex_head *heads = NULL;
	size_t i, j, nl = 0;
	int jobs = s3_jobs(s, b), w;
	char hex[CAIRN_OID_HEXLEN + 1];

	if (n == 0)
		return NULL;
	memset(&ex, 0, sizeof(ex));
	ex.s = s;
	ex.items = items;
	ex.ord = xcalloc(n, sizeof(*ex.ord));
	for (i = 0; i < n; i++) {
		ex.ord[i].id = items[i].id;
		ex.ord[i].item = i;
		items[i].state = REMOTE_PENDING;
	}
	qsort(ex.ord, n, sizeof(*ex.ord), s3_ex_cmp);
	heads = xcalloc((size_t)jobs, sizeof(*heads));
	ex.idle = xcalloc((size_t)jobs, sizeof(*ex.idle));
	for (w = jobs - 1; w >= 0; w--) {
		heads[w].ex = &ex;
		heads[w].req.setup = s3_ex_head_setup;
		heads[w].req.done = s3_ex_head_done;
		ex.idle[ex.nidle++] = &heads[w];
	}
	lists = xcalloc(256, sizeof(*lists));
	for (i = 0; i < n; i = j) {
		struct s3_ex_list *l;

		for (j = i + 1; j < n && ex.ord[j].id.b[0] == ex.ord[i].id.b[0]; j++)
			;
		if (j - i == 1) {
			s3_ex_want_head(&ex, ex.ord[i].item);
			continue;
		}
		l = &lists[nl++];
		oid_tohex(hex, &ex.ord[i].id);
		l->ex = &ex;
		l->pos = i;
		l->end = j;
		l->folder = xasprintf("%ssha256/%.2s/", s->loc.prefix, hex);
		l->after = xasprintf("%s%.*s", l->folder, CAIRN_OID_HEXLEN - 3, hex + 2);
		l->req.setup = s3_ex_list_setup;
		l->req.done = s3_ex_list_done;
		l->req.body_max = S3_LIST_BODY_MAX;
		net_add(s->x, &l->req);
	}
	e = net_run(s->x, jobs, b);
	for (i = 0; i < nl; i++) {
		free(lists[i].folder);
		free(lists[i].after);
		free(lists[i].last);
		buf_release(&lists[i].req.body);
		buf_release(&lists[i].req.headers);
	}
	for (w = 0; w < jobs; w++) {
		buf_release(&heads[w].req.body);
		buf_release(&heads[w].req.headers);
	}
	free(lists);
	free(heads);
	free(ex.idle);
	free(ex.ord);
	free(ex.head);
	return e;
}
