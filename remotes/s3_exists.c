/*
 * s3_exists.c: which objects of a batch are on S3, in as few requests as
 * the batch allows. One object: a HEAD. More: a first ListObjectsV2 page
 * of all of P/sha256/, which settles the whole batch when the remote holds
 * fewer than a page of objects. Past that page, object ids are spread
 * evenly, so the share of the id space the page covered tells how many
 * pages are left; the cheapest of three plans goes on: more pages of the
 * same listing (continuation tokens), one listing per 2-hex folder holding
 * two or more unsettled objects (each page starting just before the next
 * unsettled object, so a page always settles one and a listing never costs
 * more than HEADs would; the last object of a folder gets a HEAD), or a
 * HEAD per object. A HEAD answered with an error has no body to explain
 * it, so it is asked again as a one-byte GET whose error body names the
 * cause (and a first 404 is asked again to tell a missing bucket).
 */
#include "buildconf.h"

#include <stdio.h>
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
struct s3_ex_list;

struct s3_ex {
	struct s3_remote *s;
	struct remote_item *items;
	struct s3_ex_ord *ord;    /* the items sorted by id */
	size_t n;
	char *top;                /* "P/sha256/" */
	size_t *head;             /* items to ask with HEAD, taken from hnext on */
	size_t nhead, hnext, head_cap;
	struct s3_ex_head **idle; /* HEAD workers with nothing to do */
	size_t nidle;
	struct s3_ex_list *lists; /* the listing of everything, then one per folder */
	size_t nlists;
	bool bucket_seen;         /* a 404 was asked again: the bucket exists */
};

struct s3_ex_head { /* a worker asking HEAD for one item after another */
	struct net_req req;
	struct s3_ex *ex;
	size_t item;
	bool diag; /* asking again as a one-byte GET */
};

struct s3_ex_list { /* a listing settling ord[pos..end) */
	struct net_req req;
	struct s3_ex *ex;
	size_t pos, end;
	char *prefix;  /* what is listed: P/sha256/ or a folder P/sha256/xx/ */
	char *after;   /* start-after of the next page, or NULL */
	char *token;   /* continuation token of the next page, or NULL */
	struct oid last_id; /* the last object id read */
	bool any;      /* last_id is set */
	bool whole;    /* the listing of all of P/sha256/ */
};

static int s3_ex_cmp(const void *a, const void *b)
{
	return oid_cmp(&((const struct s3_ex_ord *)a)->id, &((const struct s3_ex_ord *)b)->id);
}

/* Compare an object's key with a listed key that begins with P/sha256/. */
static int s3_ex_keycmp(const struct s3_ex *ex, const struct oid *id, const char *key)
{
	char hex[CAIRN_OID_HEXLEN + 1], rest[CAIRN_OID_HEXLEN + 2];

	oid_tohex(hex, id);
	snprintf(rest, sizeof(rest), "%.2s/%s", hex, hex + 2);
	return strcmp(rest, key + strlen(ex->top));
}

static void s3_ex_set(struct s3_ex *ex, size_t pos, enum remote_item_state st)
{
	ex->items[ex->ord[pos].item].state = st;
}

/* ---- HEAD ---- */

static bool s3_ex_head_next(struct s3_ex_head *h);

/* Ask item with HEAD; an idle worker takes it at once. */
static void s3_ex_want_head(struct s3_ex *ex, size_t item)
{
	XGROW(ex->head, ex->nhead + 1, ex->head_cap);
	ex->head[ex->nhead++] = item;
	if (ex->nidle > 0)
		s3_ex_head_next(ex->idle[--ex->nidle]);
}

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
	bool answered = r->rc == CURLE_OK;

	if (answered && (r->status == 200 || r->status == 206)) {
		it->state = REMOTE_DONE;
	} else if (answered && r->status == 404 && !h->diag && h->ex->bucket_seen) {
		it->state = REMOTE_MISSING;
	} else if (answered && r->status == 416 && h->diag) {
		it->state = REMOTE_DONE; /* a zero-byte object has no byte 0 */
	} else if (answered && r->status == 404 && h->diag && !s3_no_bucket(r)) {
		it->state = REMOTE_MISSING;
		h->ex->bucket_seen = true;
	} else if (s3_transient(r)) {
		if (net_retry(r))
			return NULL;
		it->state = REMOTE_FAILED;
		return s3_fail(h->ex->s, r, "HEAD");
	} else if (answered && !h->diag) {
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

	s3_list_request(l->ex->s, r, easy, l->prefix, l->token, l->after);
	return NULL;
}

/* Settle the items up to this listed key. */
static const struct cairn_error *s3_ex_list_key(const char *key, int64_t mtime_ns, void *arg)
{
	struct s3_ex_list *l = arg;
	struct s3_ex *ex = l->ex;
	size_t tlen = strlen(ex->top);
	int c;

	(void)mtime_ns;
	if (strncmp(key, ex->top, tlen) != 0)
		return NULL;
	if (strlen(key + tlen) == CAIRN_OID_HEXLEN + 1 && key[tlen + 2] == '/') {
		char hex[CAIRN_OID_HEXLEN + 1];
		struct oid id;

		memcpy(hex, key + tlen, 2);
		memcpy(hex + 2, key + tlen + 3, CAIRN_OID_HEXLEN - 2);
		hex[CAIRN_OID_HEXLEN] = '\0';
		if (oid_fromhex(&id, hex)) {
			l->last_id = id;
			l->any = true;
		}
	}
	/* keys come sorted; equal ids of the batch compare equal to the same key */
	for (; l->pos < l->end; l->pos++) {
		if ((c = s3_ex_keycmp(ex, &ex->ord[l->pos].id, key)) > 0)
			break;
		s3_ex_set(ex, l->pos, c == 0 ? REMOTE_DONE : REMOTE_MISSING);
	}
	return NULL;
}

static const struct cairn_error *s3_ex_list_done(struct net_req *r);

static void s3_ex_list_start(struct s3_ex *ex, size_t pos, size_t end, char *prefix, bool whole)
{
	struct s3_ex_list *l = &ex->lists[ex->nlists++];

	l->ex = ex;
	l->pos = pos;
	l->end = end;
	l->prefix = prefix;
	l->whole = whole;
	l->req.setup = s3_ex_list_setup;
	l->req.done = s3_ex_list_done;
	l->req.body_max = S3_LIST_BODY_MAX;
	net_add(ex->s->x, &l->req);
}

/* Ask ord[from..to) folder by folder: a listing where two or more share one, else HEADs. */
static void s3_ex_by_folder(struct s3_ex *ex, size_t from, size_t to)
{
	char hex[CAIRN_OID_HEXLEN + 1];
	size_t i, j;

	for (i = from; i < to; i = j) {
		struct s3_ex_list *l;

		for (j = i + 1; j < to && ex->ord[j].id.b[0] == ex->ord[i].id.b[0]; j++)
			;
		if (j - i == 1) {
			s3_ex_want_head(ex, ex->ord[i].item);
			continue;
		}
		oid_tohex(hex, &ex->ord[i].id);
		s3_ex_list_start(ex, i, j, xasprintf("%s%.2s/", ex->top, hex), false);
		l = &ex->lists[ex->nlists - 1];
		l->after = xasprintf("%s%.*s", l->prefix, CAIRN_OID_HEXLEN - 3, hex + 2);
	}
}

/* Folders among ord[from..to): those with one item, those with more. */
static void s3_ex_count_folders(const struct s3_ex *ex, size_t from, size_t to, size_t *singles,
				size_t *groups)
{
	size_t i, j;

	*singles = *groups = 0;
	for (i = from; i < to; i = j) {
		for (j = i + 1; j < to && ex->ord[j].id.b[0] == ex->ord[i].id.b[0]; j++)
			;
		if (j - i == 1)
			(*singles)++;
		else
			(*groups)++;
	}
}

static const struct cairn_error *s3_ex_list_done(struct net_req *r)
{
	struct s3_ex_list *l = (struct s3_ex_list *)r;
	struct s3_ex *ex = l->ex;
	const struct cairn_error *e;
	char hex[CAIRN_OID_HEXLEN + 1], *next = NULL, *jump;
	size_t singles, groups, left;
	bool truncated;

	if (r->rc != CURLE_OK || r->status != 200) {
		if (s3_transient(r) && net_retry(r))
			return NULL;
		return s3_fail(ex->s, r, "LIST");
	}
	if ((e = s3_xml_list(&truncated, &next, r->body.s, r->body.len, s3_ex_list_key, l)) !=
	    NULL)
		return err_wrap(e, "S3 LIST in bucket '%s'", ex->s->loc.bucket);
	free(l->token);
	l->token = NULL;
	if (!truncated || l->pos >= l->end) {
		for (; l->pos < l->end; l->pos++)
			s3_ex_set(ex, l->pos, REMOTE_MISSING);
		free(next);
		return NULL;
	}
	left = l->end - l->pos;
	r->attempt = 0;
	if (l->whole) {
		/* ids are even: the share of the id space read tells how many pages are left */
		double seen = l->any ? (l->last_id.b[0] * 256.0 + l->last_id.b[1] + 1) / 65536.0
				     : 1.0 / 65536.0;
		double more = 1.0 / seen - 1.0;
		size_t pages = (size_t)more + ((double)(size_t)more < more);

		s3_ex_count_folders(ex, l->pos, l->end, &singles, &groups);
		if (pages <= singles + groups && pages <= left) {
			l->token = next; /* go on with this listing */
			net_add_front(r->x, r);
			return NULL;
		}
		free(next);
		s3_ex_by_folder(ex, l->pos, l->end);
		l->pos = l->end;
		return NULL;
	}
	free(next);
	if (left == 1) { /* one left: a HEAD costs no more and carries less */
		s3_ex_want_head(ex, ex->ord[l->pos].item);
		l->pos = l->end;
		return NULL;
	}
	/* Start just before the next unsettled key. */
	oid_tohex(hex, &ex->ord[l->pos].id);
	jump = xasprintf("%s%.*s", l->prefix, CAIRN_OID_HEXLEN - 3, hex + 2);
	free(l->after);
	l->after = jump;
	net_add_front(r->x, r);
	return NULL;
}

/* ---- the batch ---- */

const struct cairn_error *s3_exists(struct remote *rem, struct remote_item *items, size_t n,
				    const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	const struct cairn_error *e;
	struct s3_ex ex;
	struct s3_ex_head *heads;
	int jobs = s3_jobs(s, b), w;
	size_t i;

	if (n == 0)
		return NULL;
	memset(&ex, 0, sizeof(ex));
	ex.s = s;
	ex.items = items;
	ex.n = n;
	ex.top = xasprintf("%ssha256/", s->loc.prefix);
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
	ex.lists = xcalloc(257, sizeof(*ex.lists));
	if (n <= 2) {
		for (i = 0; i < n; i++)
			s3_ex_want_head(&ex, i);
	} else {
		s3_ex_list_start(&ex, 0, n, xstrdup(ex.top), true);
	}
	e = net_run(s->x, jobs, b);
	for (i = 0; i < ex.nlists; i++) {
		free(ex.lists[i].prefix);
		free(ex.lists[i].after);
		free(ex.lists[i].token);
		buf_release(&ex.lists[i].req.body);
		buf_release(&ex.lists[i].req.headers);
	}
	for (w = 0; w < jobs; w++) {
		buf_release(&heads[w].req.body);
		buf_release(&heads[w].req.headers);
	}
	free(ex.lists);
	free(heads);
	free(ex.idle);
	free(ex.ord);
	free(ex.head);
	free(ex.top);
	return e;
}
