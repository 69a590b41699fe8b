/*
 * s3_list.c: every object of an S3 remote. One ListObjectsV2 listing of
 * P/sha256/ goes page by page (continuation tokens, re-encoded strictly).
 * When the first page shows the remote is large (object ids are spread
 * evenly, so the share of the id space a page covers tells the size), the
 * rest is split into one listing per 2-hex folder, run in parallel. Keys
 * that are not object names (temporary or foreign files) are skipped.
 * LastModified is turned to our clock by the Date of each page.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fsutil.h"
#include "core/xmalloc.h"
#include "remotes/s3_int.h"
#include "remotes/s3_xml.h"

struct s3_lw;

struct s3_lb { /* the listing */
	struct s3_remote *s;
	remote_list_cb cb;
	void *arg;
	int jobs;
	struct s3_lw *split; /* the per-folder listings, once split */
	size_t nsplit;
};

struct s3_lw { /* one listing, page after page */
	struct net_req req;
	struct s3_lb *lb;
	char *prefix; /* what is listed */
	char *token;  /* continuation token of the next page, or NULL */
	char *after;  /* start-after of the next page, or NULL */
	char *last;   /* the last object name read */
	struct oid last_id;
	bool top;     /* the listing of all of P/sha256/ */
	int64_t skew; /* our clock minus the server's, by the Date of the page */
};

static const struct cairn_error *s3_lw_setup(struct net_req *r, CURL *easy)
{
	struct s3_lw *l = (struct s3_lw *)r;

	s3_list_request(l->lb->s, r, easy, l->prefix, l->token, l->after);
	return NULL;
}

/* An object id from P/sha256/xx/<62 hex>, or false. */
static bool s3_lw_parse(struct oid *id, const struct s3_remote *s, const char *key)
{
	size_t plen = strlen(s->loc.prefix);
	char hex[CAIRN_OID_HEXLEN + 1];

	if (strncmp(key, s->loc.prefix, plen) != 0 || strncmp(key + plen, "sha256/", 7) != 0)
		return false;
	key += plen + 7;
	if (strlen(key) != CAIRN_OID_HEXLEN + 1 || key[2] != '/')
		return false;
	memcpy(hex, key, 2);
	memcpy(hex + 2, key + 3, CAIRN_OID_HEXLEN - 2);
	hex[CAIRN_OID_HEXLEN] = '\0';
	return oid_fromhex(id, hex);
}

static const struct cairn_error *s3_lw_key(const char *key, int64_t mtime_ns, void *arg)
{
	struct s3_lw *l = arg;
	struct oid id;

	if (!s3_lw_parse(&id, l->lb->s, key))
		return NULL;
	free(l->last);
	l->last = xstrdup(key);
	l->last_id = id;
	if (mtime_ns != REMOTE_MTIME_UNKNOWN) /* by our clock, as gc.grace is */
		mtime_ns = l->skew > 0 && mtime_ns > INT64_MAX - l->skew ? INT64_MAX
									 : mtime_ns + l->skew;
	return l->lb->cb(&id, mtime_ns, l->lb->arg);
}

/*
 * Our clock minus the server's, from the Date of its answer (0 without
 * one): LastModified is by the server's clock, gc --cloud's cutoff by ours,
 * and a server running behind would make fresh objects look old. Date has
 * whole seconds and is older than our reading: the error keeps objects.
 */
static int64_t s3_lw_skew(const struct net_req *r)
{
	char *date = net_header(r, "Date");
	time_t t = date ? curl_getdate(date, NULL) : -1;

	free(date);
	/* a Date past 2262 has no nanoseconds in int64: as good as none */
	if (t < 0 || t > INT64_MAX / 1000000000 - 1)
		return 0;
	return fs_now_ns() - (int64_t)t * 1000000000;
}

/* Split the rest of the top listing into one listing per folder. */
static void s3_lb_split(struct s3_lb *lb, struct s3_lw *top)
{
	unsigned f, first = top->last_id.b[0];

	lb->split = xcalloc(256 - first, sizeof(*lb->split));
	for (f = first; f < 256; f++) {
		struct s3_lw *l = &lb->split[lb->nsplit++];

		l->lb = lb;
		l->prefix = xasprintf("%ssha256/%02x/", lb->s->loc.prefix, f);
		if (f == first)
			l->after = xstrdup(top->last);
		l->req.setup = s3_lw_setup;
		l->req.done = top->req.done;
		l->req.body_max = S3_LIST_BODY_MAX;
		net_add(lb->s->x, &l->req);
	}
}

static const struct cairn_error *s3_lw_done(struct net_req *r)
{
	struct s3_lw *l = (struct s3_lw *)r;
	struct s3_lb *lb = l->lb;
	const struct cairn_error *e;
	bool truncated;
	char *next = NULL;

	if (r->rc != CURLE_OK || r->status != 200) {
		if (s3_transient(r) && net_retry(r))
			return NULL;
		return s3_fail(lb->s, r, "LIST");
	}
	l->skew = s3_lw_skew(r);
	if ((e = s3_xml_list(&truncated, &next, r->body.s, r->body.len, s3_lw_key, l)) != NULL)
		return err_is(e, CAIRN_ERR_FORMAT)
			       ? err_wrap(e, "S3 LIST in bucket '%s'", lb->s->loc.bucket)
			       : e;
	free(l->token);
	l->token = next;
	if (!truncated)
		return NULL;
	if (l->top && l->last && lb->jobs > 1) {
		/* ids are even: the share of the id space read so far gives the size */
		double seen = (l->last_id.b[0] * 256.0 + l->last_id.b[1] + 1) / 65536.0;
		double pages_left = 1.0 / seen - 1.0; /* this page held about 1,000 keys */

		l->top = false;
		if (pages_left > 256.0 / (lb->jobs - 1)) {
			s3_lb_split(lb, l);
			return NULL;
		}
	}
	l->top = false;
	r->attempt = 0;
	net_add_front(r->x, r);
	return NULL;
}

static void s3_lw_release(struct s3_lw *l)
{
	free(l->prefix);
	free(l->token);
	free(l->after);
	free(l->last);
	buf_release(&l->req.body);
	buf_release(&l->req.headers);
}

const struct cairn_error *s3_list(struct remote *rem, remote_list_cb cb, void *arg,
				  const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	const struct cairn_error *e;
	struct s3_lb lb;
	struct s3_lw top;
	size_t i;

	memset(&lb, 0, sizeof(lb));
	memset(&top, 0, sizeof(top));
	lb.s = s;
	lb.cb = cb;
	lb.arg = arg;
	lb.jobs = s3_jobs(s, b);
	top.lb = &lb;
	top.top = true;
	top.prefix = xasprintf("%ssha256/", s->loc.prefix);
	top.req.setup = s3_lw_setup;
	top.req.done = s3_lw_done;
	top.req.body_max = S3_LIST_BODY_MAX;
	net_add(s->x, &top.req);
	e = net_run(s->x, lb.jobs, b);
	s3_lw_release(&top);
	for (i = 0; i < lb.nsplit; i++)
		s3_lw_release(&lb.split[i]);
	free(lb.split);
	return e;
}
