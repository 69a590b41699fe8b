/*
 * net.c: the HTTP transfer engine (net.h). A ready queue (FIFO, with next
 * steps of work in flight put first) and a short list of requests waiting
 * out a backoff feed one curl multi handle. Easy handles are pooled so
 * connections and TLS sessions are reused across requests and batches.
 */
#include "buildconf.h"

#include "remotes/net.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/xmalloc.h"

#define NET_BODY_MAX (1u << 20)
#define NET_HEADERS_MAX (64u << 10)
#define NET_BACKOFF_NS 250000000LL   /* first retry after about 0.25 s */
#define NET_BACKOFF_MAX_NS 20000000000LL
#define NET_POLL_MS 100

struct net {
	CURLM *multi;
	int retries;
	int timeout; /* seconds without a byte before a transfer counts as stalled */
	struct net_req *head, *tail; /* ready queue */
	struct net_req *delayed;     /* waiting for not_before */
	CURL **pool;                  /* idle easy handles */
	size_t npool, pool_cap;
	int running;
	bool failed, cancelled;
	struct err_copy err;          /* the first error of the run */
	const struct remote_batch *b;
	uint64_t seed;
};

static int64_t net_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct net *net_new(int retries, int timeout)
{
	struct net *x = xcalloc(1, sizeof(*x));

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((x->multi = curl_multi_init()) == NULL)
		xmalloc((size_t)-1); /* libcurl is out of memory: exits */
	x->retries = retries < 0 ? 0 : retries;
	x->timeout = timeout < 1 ? NET_TIMEOUT_DEFAULT : timeout;
	x->seed = (uint64_t)net_now() ^ ((uint64_t)getpid() << 32);
	return x;
}

void net_free(struct net *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->npool; i++)
		curl_easy_cleanup(x->pool[i]);
	free(x->pool);
	curl_multi_cleanup(x->multi);
	free(x);
	curl_global_cleanup();
}

static void net_fail(struct net *x, const struct cairn_error *e)
{
	if (!x->failed) {
		x->failed = true;
		err_save(&x->err, e);
		x->cancelled = e->code == CAIRN_ERR_CANCELLED;
	}
}

void net_add(struct net *x, struct net_req *r)
{
	r->x = x;
	r->reported = 0;
	r->next = NULL;
	r->not_before = 0;
	if (x->tail)
		x->tail->next = r;
	else
		x->head = r;
	x->tail = r;
}

void net_add_front(struct net *x, struct net_req *r)
{
	r->x = x;
	r->reported = 0;
	r->not_before = 0;
	r->next = x->head;
	x->head = r;
	if (x->tail == NULL)
		x->tail = r;
}

void net_drop(struct net *x)
{
	x->head = x->tail = x->delayed = NULL;
}

bool net_retry(struct net_req *r)
{
	struct net *x = r->x;
	int64_t delay = NET_BACKOFF_NS;
	int i;

	if (x->failed || r->attempt >= x->retries)
		return false;
	for (i = 0; i < r->attempt && delay < NET_BACKOFF_MAX_NS; i++)
		delay *= 2;
	if (delay > NET_BACKOFF_MAX_NS)
		delay = NET_BACKOFF_MAX_NS;
	/* jitter: between half and the whole delay (xorshift) */
	x->seed ^= x->seed << 13;
	x->seed ^= x->seed >> 7;
	x->seed ^= x->seed << 17;
	delay = delay / 2 + (int64_t)(x->seed % (uint64_t)(delay / 2 + 1));
	r->attempt++;
	r->not_before = net_now() + delay;
	r->next = x->delayed;
	x->delayed = r;
	return true;
}

bool net_transient(const struct net_req *r)
{
	switch (r->rc) {
	case CURLE_OK:
		return r->status >= 500 || r->status == 408 || r->status == 429;
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

void net_progress(struct net *x, uint64_t bytes, uint64_t objects)
{
	if (x->b && x->b->progress && (bytes || objects))
		x->b->progress(bytes, objects, x->b->progress_arg);
}

/* ---- libcurl callbacks ---- */

static size_t net_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct net_req *r = arg;
	size_t n = size * nmemb, max = r->body_max ? r->body_max : NET_BODY_MAX;

	if (r->to_sink < 0) {
		long st = 0;

		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &st);
		r->to_sink = r->sink && st >= 200 && st < 300;
	}
	if (r->to_sink) {
		const struct cairn_error *e = r->sink(r, data, n);

		if (e) {
			err_save(&r->sink_err, e);
			r->sink_failed = true;
			return 0;
		}
		return n;
	}
	if (r->body.len < max)
		buf_add(&r->body, data, n < max - r->body.len ? n : max - r->body.len);
	return n;
}

static size_t net_header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct net_req *r = arg;
	size_t n = size * nmemb;

	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0)
		buf_reset(&r->headers); /* a new answer (after 100 Continue, say) */
	if (r->headers.len + n <= NET_HEADERS_MAX)
		buf_add(&r->headers, data, n);
	return n;
}

/* Report the bytes an attempt moved beyond what earlier attempts reported. */
static void net_count(struct net_req *r, curl_off_t dlnow, curl_off_t ulnow)
{
	uint64_t now;

	if (!r->count_bytes)
		return;
	now = (uint64_t)ulnow + (r->to_sink == 1 ? (uint64_t)dlnow : 0);
	if (now > r->reported) {
		net_progress(r->x, now - r->reported, 0);
		r->reported = now;
	}
}

static int net_info_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
			curl_off_t ulnow)
{
	struct net_req *r = arg;
	struct net *x = r->x;
	const struct cairn_error *e;

	(void)dltotal;
	(void)ultotal;
	if (!x->failed && x->b && x->b->cancel && (e = x->b->cancel(x->b->cancel_arg)) != NULL)
		net_fail(x, e);
	if (x->cancelled)
		return 1;
	net_count(r, dlnow, ulnow);
	return 0;
}

static size_t net_read_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct net_req *r = arg;
	size_t want = size * nmemb;
	ssize_t got;

	if (r->up_pos >= r->up_len)
		return 0;
	if (want > r->up_len - r->up_pos)
		want = (size_t)(r->up_len - r->up_pos);
	do
		got = pread(r->fd, data, want, (off_t)(r->up_off + r->up_pos));
	while (got < 0 && errno == EINTR);
	if (got <= 0) /* a read error or a file shorter than promised */
		return CURL_READFUNC_ABORT;
	r->up_pos += (uint64_t)got;
	return (size_t)got;
}

static int net_seek_cb(void *arg, curl_off_t offset, int origin)
{
	struct net_req *r = arg;

	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > r->up_len)
		return CURL_SEEKFUNC_FAIL;
	r->up_pos = (uint64_t)offset;
	return CURL_SEEKFUNC_OK;
}

void net_upload_fd(struct net_req *r, CURL *easy, int fd, uint64_t off, uint64_t len)
{
	r->fd = fd;
	r->up_off = off;
	r->up_len = len;
	r->up_pos = 0;
	curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(easy, CURLOPT_READFUNCTION, net_read_cb);
	curl_easy_setopt(easy, CURLOPT_READDATA, r);
	curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, net_seek_cb);
	curl_easy_setopt(easy, CURLOPT_SEEKDATA, r);
}

char *net_header(const struct net_req *r, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = r->headers.s, *end;

	if (p == NULL)
		return NULL;
	for (; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1, *ve = end;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			return xstrndup(v, (size_t)(ve - v));
		}
	}
	return NULL;
}

/* ---- downloads into the cache ---- */

const struct cairn_error *net_cache_sink(struct net_req *r, const char *data, size_t n)
{
	struct net_cache_dst *d = r->arg;
	const struct cairn_error *e;

	if (d->w == NULL && (e = cache_writer_new(&d->w, d->c)) != NULL)
		return e;
	return cache_writer_write(d->w, data, n);
}

const struct cairn_error *net_cache_finish(struct net_cache_dst *d, const struct oid *id)
{
	const struct cairn_error *e;
	struct oid got;

	if (d->w == NULL && (e = cache_writer_new(&d->w, d->c)) != NULL)
		return e; /* a zero-byte object: no body came */
	e = cache_writer_finish(&got, d->w, id);
	d->w = NULL;
	return e;
}

void net_cache_abort(struct net_cache_dst *d)
{
	cache_writer_abort(d->w);
	d->w = NULL;
}

/* ---- the run loop ---- */

static const struct cairn_error *net_start(struct net *x, struct net_req *r)
{
	const struct cairn_error *e;
	CURL *easy;

	if (x->npool > 0) {
		easy = x->pool[--x->npool];
		curl_easy_reset(easy);
	} else if ((easy = curl_easy_init()) == NULL) {
		return err_new(CAIRN_ERR_FAILED, "cannot start a transfer (libcurl)");
	}
	r->x = x;
	r->easy = easy;
	r->rc = CURLE_OK;
	r->status = 0;
	r->errbuf[0] = '\0';
	buf_reset(&r->body);
	buf_reset(&r->headers);
	r->sink_failed = false;
	r->to_sink = -1;
	r->hdrs = NULL;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "cairn/" PACKAGE_VERSION);
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L); /* a stalled transfer is a timeout */
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, (long)x->timeout);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, net_write_cb);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, net_header_cb);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, net_info_cb);
	curl_easy_setopt(easy, CURLOPT_XFERINFODATA, r);
	if ((e = r->setup(r, easy)) != NULL) {
		curl_slist_free_all(r->hdrs);
		r->hdrs = NULL;
		XGROW(x->pool, x->npool + 1, x->pool_cap);
		x->pool[x->npool++] = easy;
		r->easy = NULL;
		return e;
	}
	if (r->hdrs)
		curl_easy_setopt(easy, CURLOPT_HTTPHEADER, r->hdrs);
	if (curl_multi_add_handle(x->multi, easy) != CURLM_OK)
		return err_new(CAIRN_ERR_FAILED, "cannot start a transfer (libcurl)");
	x->running++;
	return NULL;
}

static void net_finish(struct net *x, CURL *easy, CURLcode rc)
{
	const struct cairn_error *e;
	struct net_req *r = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&r);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->status);
	if (rc == CURLE_OK) { /* the last progress call may come before the last bytes */
		curl_off_t dl = 0, ul = 0;

		curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &dl);
		curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &ul);
		net_count(r, dl, ul);
	}
	curl_multi_remove_handle(x->multi, easy);
	x->running--;
	r->rc = rc;
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	r->easy = NULL;
	XGROW(x->pool, x->npool + 1, x->pool_cap);
	x->pool[x->npool++] = easy;
	if ((e = r->done(r)) != NULL)
		net_fail(x, e);
}

/* The next request allowed to start, taken off its list; NULL when none is due. */
static struct net_req *net_next_ready(struct net *x, int64_t now)
{
	struct net_req **pp, *r;

	for (pp = &x->delayed; (r = *pp) != NULL;) {
		if (r->not_before <= now) {
			*pp = r->next;
			r->next = x->head; /* due: first in line, keeping what it reported */
			x->head = r;
			if (x->tail == NULL)
				x->tail = r;
		} else {
			pp = &r->next;
		}
	}
	if ((r = x->head) != NULL) {
		x->head = r->next;
		if (x->head == NULL)
			x->tail = NULL;
		r->next = NULL;
	}
	return r;
}

/* Milliseconds until the first delayed request is due (capped). */
static int net_wait_ms(const struct net *x, int64_t now)
{
	const struct net_req *r;
	int64_t ms = NET_POLL_MS;

	for (r = x->delayed; r; r = r->next) {
		int64_t d = (r->not_before - now) / 1000000 + 1;

		if (d < ms)
			ms = d < 0 ? 0 : d;
	}
	return (int)ms;
}

const struct cairn_error *net_run(struct net *x, int jobs, const struct remote_batch *b)
{
	const struct cairn_error *e;
	struct net_req *r;
	CURLMsg *m;
	int still, left;

	x->b = b;
	x->failed = x->cancelled = false;
	if (jobs <= 0)
		jobs = 1;
	while (x->head || x->delayed || x->running > 0) {
		if (!x->failed && b && b->cancel && (e = b->cancel(b->cancel_arg)) != NULL)
			net_fail(x, e);
		if (x->failed) {
			x->head = x->tail = x->delayed = NULL; /* dropped: their items stay pending */
		}
		while (!x->failed && x->running < jobs && (r = net_next_ready(x, net_now())))
			if ((e = net_start(x, r)) != NULL)
				net_fail(x, e);
		if (x->running == 0 && x->head == NULL && x->delayed == NULL)
			break;
		curl_multi_perform(x->multi, &still);
		while ((m = curl_multi_info_read(x->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				net_finish(x, m->easy_handle, m->data.result);
		if (x->running > 0 || x->delayed)
			curl_multi_poll(x->multi, NULL, 0, net_wait_ms(x, net_now()), NULL);
	}
	x->b = NULL;
	return x->failed ? err_load(&x->err) : NULL;
}

const struct cairn_error *err_curl(CURLcode rc, const char *errbuf, long status,
				   const char *detail, const char *what, ...)
{
	char w[512];
	va_list ap;
	int code;

	va_start(ap, what);
	vsnprintf(w, sizeof(w), what, ap);
	va_end(ap);
	if (rc != CURLE_OK) {
		const char *cause = errbuf && *errbuf ? errbuf : curl_easy_strerror(rc);

		if (rc == CURLE_ABORTED_BY_CALLBACK)
			return err_new(CAIRN_ERR_CANCELLED, "%s: interrupted", w);
		/* libcurl's words for a server that is there but silent, and for http spoken as https */
		if (rc == CURLE_OPERATION_TIMEDOUT && strstr(cause, "too slow"))
			return err_hint(err_new(CAIRN_ERR_REMOTE,
						"%s: the transfer stalled (nothing sent or received "
						"for the remote's timeout)",
						w),
					"a server that accepts the connection but does not answer, "
					"or a slow link: see remote.NAME.timeout");
		if (rc == CURLE_SSL_CONNECT_ERROR && strstr(cause, "wrong version number"))
			return err_hint(err_new(CAIRN_ERR_REMOTE, "%s: %s", w, cause),
					"the server does not speak TLS: if it serves plain HTTP, "
					"write the endpoint with http://");
		return err_new(CAIRN_ERR_REMOTE, "%s: %s", w, cause);
	}
	code = status == 401 || status == 403 ? CAIRN_ERR_AUTH
	       : status == 404		       ? CAIRN_ERR_NOT_FOUND
					       : CAIRN_ERR_REMOTE;
	if (detail && *detail)
		return err_new(code, "%s: HTTP %ld %s", w, status, detail);
	return err_new(code, "%s: HTTP %ld", w, status);
}
