/*
 * http.c: the read-only HTTP(S) backend (http.h). A pool of `jobs`
 * workers asks HEAD (exists) or GET (get) for one object after another
 * over the shared transfer engine. Redirects are followed (to http and
 * https only); only a final 2xx body is stored, through a hash-checked
 * cache_writer, so an error page never becomes content.
 */
#include "buildconf.h"

#include "remotes/http.h"

#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"
#include "remotes/net.h"
#include "remotes/netfetch.h"

#define HTTP_JOBS_DEFAULT 8
#define HTTP_RETRIES_DEFAULT 4

struct http_remote {
	struct remote base;
	char *root; /* the URL without its trailing '/' */
	struct net *x;
};

static char *http_url(const struct http_remote *h, const struct oid *id)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	oid_tohex(hex, id);
	return xasprintf("%s/sha256/%.2s/%s", h->root, hex, hex + 2);
}

static void http_f_setup(struct net_fetch *f, const struct remote_item *it, struct net_req *r,
			 CURL *easy)
{
	char *url = http_url(f->backend, &it->id);

	(void)r;
	curl_easy_setopt(easy, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
}

static enum net_fetch_answer http_f_answer(const struct net_fetch *f, const struct net_req *r)
{
	(void)f;
	if (r->rc == CURLE_OK && r->status >= 200 && r->status < 300)
		return NET_FETCH_FOUND;
	if (r->rc == CURLE_OK && (r->status == 404 || r->status == 410))
		return NET_FETCH_MISSING;
	return NET_FETCH_FAILED;
}

static const struct cairn_error *http_f_fail(struct net_fetch *f, const struct remote_item *it,
					     const struct net_req *r)
{
	const struct http_remote *h = f->backend;

	return err_curl(r->rc, r->errbuf, r->status, NULL, "%s of object '%s' at '%s'",
			f->c ? "GET" : "HEAD", oid_hex(&it->id), h->root);
}

static const struct cairn_error *http_f_corrupt(struct net_fetch *f,
						const struct remote_item *it,
						const struct cairn_error *why)
{
	const struct http_remote *h = f->backend;

	return err_new(CAIRN_ERR_CORRUPT, "object '%s' at '%s' is corrupt (%s)", oid_hex(&it->id),
		       h->root, why->msg);
}

static const struct net_fetch_ops http_fetch_ops = {
	.setup = http_f_setup,
	.answer = http_f_answer,
	.transient = net_transient,
	.fail = http_f_fail,
	.corrupt = http_f_corrupt,
};

/* HEAD (c NULL) or GET into c every item. */
static const struct cairn_error *http_run(struct http_remote *h, struct cache *c,
					  struct remote_item *items, size_t n,
					  const struct remote_batch *b)
{
	struct net_fetch f = { &http_fetch_ops, h, h->x, c, items, n };

	return net_fetch_run(&f, b && b->jobs > 0 ? b->jobs : h->base.jobs, b);
}

static const struct cairn_error *http_exists(struct remote *r, struct remote_item *items,
					     size_t n, const struct remote_batch *b)
{
	return http_run((struct http_remote *)r, NULL, items, n, b);
}

static const struct cairn_error *http_get(struct remote *r, struct cache *c,
					  struct remote_item *items, size_t n,
					  const struct remote_batch *b)
{
	return http_run((struct http_remote *)r, c, items, n, b);
}

static const struct cairn_error *http_read_only(const struct remote *r)
{
	return err_hint(err_new(CAIRN_ERR_REMOTE, "remote '%s' is read-only (HTTP)", r->name),
			"push to the storage behind it (a local folder or S3) instead");
}

static const struct cairn_error *http_put(struct remote *r, struct cache *c,
					  struct remote_item *items, size_t n,
					  const struct remote_batch *b)
{
	(void)c;
	(void)items;
	(void)n;
	(void)b;
	return http_read_only(r);
}

static const struct cairn_error *http_del(struct remote *r, struct remote_item *items, size_t n,
					  const struct remote_batch *b)
{
	(void)items;
	(void)n;
	(void)b;
	return http_read_only(r);
}

static const struct cairn_error *http_list(struct remote *r, remote_list_cb cb, void *arg,
					   const struct remote_batch *b)
{
	(void)cb;
	(void)arg;
	(void)b;
	return err_new(CAIRN_ERR_REMOTE, "cannot list the objects of HTTP remote '%s'", r->name);
}

static void http_close(struct remote *r)
{
	struct http_remote *h = (struct http_remote *)r;

	if (h == NULL)
		return;
	net_free(h->x);
	free(h->root);
	free(h->base.name);
	free(h->base.url);
	free(h);
}

static const struct remote_ops http_ops = {
	.kind = "http",
	.read_only = true,
	.close = http_close,
	.exists = http_exists,
	.put = http_put,
	.get = http_get,
	.list = http_list,
	.del = http_del,
};

/* remote.<name>.<key> as an int in [min, max]; def when unset or opened by URL. */
static const struct cairn_error *http_conf_int(int64_t *out, struct config *cfg,
					       const struct remote *r, const char *key,
					       int64_t def, int64_t min, int64_t max)
{
	const struct cairn_error *e;
	char *k;

	*out = def;
	if (cfg == NULL || strcmp(r->name, r->url) == 0)
		return NULL;
	k = xasprintf("remote.%s.%s", r->name, key);
	if ((e = config_get_int(out, cfg, k, def)) == NULL && (*out < min || *out > max))
		e = err_new(CAIRN_ERR_FORMAT, "config '%s': %lld is out of range (%lld to %lld)", k,
			    (long long)*out, (long long)min, (long long)max);
	free(k);
	return e;
}

const struct cairn_error *http_remote_open(struct remote **out, const char *name,
					   const char *url, struct config *cfg, const char *root)
{
	const struct cairn_error *e;
	struct http_remote *h;
	int64_t jobs, retries, timeout;
	size_t n;

	(void)root;
	*out = NULL;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return err_new(CAIRN_ERR_FORMAT, "not an http:// or https:// URL '%s'", url);
	if (strpbrk(url, "?#\r\n "))
		return err_new(CAIRN_ERR_FORMAT, "HTTP remote URL '%s' may not hold '?', '#' or spaces",
			       url);
	h = xcalloc(1, sizeof(*h));
	h->base.ops = &http_ops;
	h->base.url = xstrdup(url);
	h->base.name = xstrdup(name ? name : url);
	if ((e = http_conf_int(&jobs, cfg, &h->base, "jobs", HTTP_JOBS_DEFAULT, 1, 256)) ||
	    (e = http_conf_int(&retries, cfg, &h->base, "retries", HTTP_RETRIES_DEFAULT, 0, 20)) ||
	    (e = http_conf_int(&timeout, cfg, &h->base, "timeout", NET_TIMEOUT_DEFAULT, 1, 3600))) {
		http_close(&h->base);
		return e;
	}
	h->base.jobs = (int)jobs;
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	h->root = xstrndup(url, n);
	h->x = net_new((int)retries, (int)timeout);
	*out = &h->base;
	return NULL;
}
