/*
 * s3_req.c: strict percent-encoding, the canonical query string and the
 * request URLs of the S3 backend. libcurl 7.88 signs the path and query
 * exactly as given, so what is built here is what S3 checks the signature
 * against (../shared/S3.md, rules 2 and 3).
 */
#include "buildconf.h"

#include "remotes/s3_req.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

static bool s3_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

void s3_encode(struct buf *b, const char *s, size_t n, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (s3_unreserved(c) || (keep_slash && c == '/')) {
			buf_addch(b, (char)c);
		} else {
			buf_addch(b, '%');
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 15]);
		}
	}
}

static int s3_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool s3_decode(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			buf_addch(b, s[i]);
			continue;
		}
		if (i + 2 >= n || s3_hexval(s[i + 1]) < 0 || s3_hexval(s[i + 2]) < 0)
			return false;
		buf_addch(b, (char)(s3_hexval(s[i + 1]) * 16 + s3_hexval(s[i + 2])));
		i += 2;
	}
	return true;
}

void s3_query_add(struct s3_query *q, const char *name, const char *value)
{
	XGROW(q->v, q->n + 1, q->cap);
	q->v[q->n].name = xstrdup(name);
	q->v[q->n].value = xstrdup(value ? value : "");
	q->n++;
}

void s3_query_release(struct s3_query *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		free(q->v[i].name);
		free(q->v[i].value);
	}
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}

struct s3_qenc {
	char *name, *value; /* encoded */
};

static int s3_qenc_cmp(const void *a, const void *b)
{
	const struct s3_qenc *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->value, y->value);
}

char *s3_query_build(const struct s3_query *q)
{
	struct s3_qenc *e = xcalloc(q->n ? q->n : 1, sizeof(*e));
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < q->n; i++) {
		s3_encode(&b, q->v[i].name, strlen(q->v[i].name), false);
		e[i].name = buf_detach(&b);
		s3_encode(&b, q->v[i].value, strlen(q->v[i].value), false);
		e[i].value = buf_detach(&b);
	}
	qsort(e, q->n, sizeof(*e), s3_qenc_cmp);
	buf_init(&b);
	for (i = 0; i < q->n; i++) {
		buf_addf(&b, "%s%s=%s", i ? "&" : "", e[i].name, e[i].value);
		free(e[i].name);
		free(e[i].value);
	}
	free(e);
	return buf_detach(&b);
}

/* A bucket name usable as a DNS label of a TLS host name (virtual-host style). */
static bool s3_dns_bucket(const char *b)
{
	size_t i, n = strlen(b);

	if (n < 3 || n > 63 || b[0] == '-' || b[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '-'))
			return false;
	return true;
}

/* Bucket names as S3 allows them in paths (legacy names included), never '/', '?', '#'. */
static bool s3_valid_bucket(const char *b)
{
	size_t i, n = strlen(b);

	if (n == 0 || n > 255)
		return false;
	for (i = 0; i < n; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z') ||
		      (b[i] >= '0' && b[i] <= '9') || b[i] == '-' || b[i] == '.' || b[i] == '_'))
			return false;
	return true;
}

/* "scheme://host[:port]" and the path (no trailing '/') of an endpoint, through curl's URL parser. */
static const struct cairn_error *s3_parse_endpoint(char **scheme, char **host, char **port,
						   char **path, const char *endpoint)
{
	CURLU *u = curl_url();
	const struct cairn_error *e = NULL;
	char *s = NULL, *h = NULL, *p = NULL, *pa = NULL, *q = NULL, *user = NULL;

	if (u == NULL)
		return err_new(CAIRN_ERR_FAILED, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, endpoint, CURLU_DEFAULT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK) {
		e = err_new(CAIRN_ERR_FORMAT, "bad S3 endpoint '%s'", endpoint);
		goto done;
	}
	if (strcmp(s, "http") != 0 && strcmp(s, "https") != 0) {
		e = err_new(CAIRN_ERR_FORMAT, "S3 endpoint '%s' is not http or https", endpoint);
		goto done;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_QUERY, &q, 0) == CURLUE_OK) {
		e = err_new(CAIRN_ERR_FORMAT,
			    "S3 endpoint '%s' may not hold a user name or a query", endpoint);
		goto done;
	}
	if (curl_url_get(u, CURLUPART_PORT, &p, 0) != CURLUE_OK)
		p = NULL;
	if (curl_url_get(u, CURLUPART_PATH, &pa, 0) != CURLUE_OK)
		pa = NULL;
	*scheme = xstrdup(s);
	*host = xstrdup(h);
	*port = p ? xstrdup(p) : NULL;
	*path = xstrdup(pa ? pa : "");
	while (**path && (*path)[strlen(*path) - 1] == '/')
		(*path)[strlen(*path) - 1] = '\0';
done:
	curl_free(s);
	curl_free(h);
	curl_free(p);
	curl_free(pa);
	curl_free(q);
	curl_free(user);
	curl_url_cleanup(u);
	return e;
}

const struct cairn_error *s3_loc_init(struct s3_loc *l, const char *url, const char *endpoint,
				      const char *region, int path_style)
{
	const struct cairn_error *e;
	const char *rest, *slash;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	struct buf b = BUF_INIT;
	size_t n;

	memset(l, 0, sizeof(*l));
	if (strncmp(url, "s3://", 5) != 0)
		return err_new(CAIRN_ERR_FORMAT, "not an s3:// URL '%s'", url);
	rest = url + 5;
	slash = strchr(rest, '/');
	l->bucket = slash ? xstrndup(rest, (size_t)(slash - rest)) : xstrdup(rest);
	if (!s3_valid_bucket(l->bucket)) {
		e = err_new(CAIRN_ERR_FORMAT, "bad bucket name in '%s'", url);
		goto fail;
	}
	/* The prefix: no leading or trailing '/', then one '/' to end it. */
	rest = slash ? slash : "";
	while (*rest == '/')
		rest++;
	n = strlen(rest);
	while (n > 0 && rest[n - 1] == '/')
		n--;
	l->prefix = n ? xasprintf("%.*s/", (int)n, rest) : xstrdup("");
	l->region = xstrdup(region && *region ? region : "us-east-1");
	if (strspn(l->region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(l->region)) {
		e = err_new(CAIRN_ERR_FORMAT, "bad S3 region '%s'", l->region);
		goto fail;
	}
	if (endpoint && *endpoint) {
		if ((e = s3_parse_endpoint(&scheme, &host, &port, &path, endpoint)) != NULL)
			goto fail;
		l->path_style = path_style != 0;
	} else {
		scheme = xstrdup("https");
		host = xasprintf("s3.%s.amazonaws.com", l->region);
		path = xstrdup("");
		l->path_style = path_style > 0;
	}
	if (!l->path_style && !s3_dns_bucket(l->bucket)) {
		if (path_style == 0) {
			e = err_new(CAIRN_ERR_FORMAT,
				    "bucket name '%s' cannot be used in a host name (virtual-host style)",
				    l->bucket);
			goto fail;
		}
		l->path_style = true;
	}
	buf_addf(&b, "%s://", scheme);
	if (!l->path_style)
		buf_addf(&b, "%s.", l->bucket);
	buf_adds(&b, host);
	if (port)
		buf_addf(&b, ":%s", port);
	buf_adds(&b, path);
	if (l->path_style)
		buf_addf(&b, "/%s", l->bucket);
	l->base = buf_detach(&b);
	free(scheme);
	free(host);
	free(port);
	free(path);
	return NULL;
fail:
	free(scheme);
	free(host);
	free(port);
	free(path);
	s3_loc_release(l);
	return e;
}

void s3_loc_release(struct s3_loc *l)
{
	if (l == NULL)
		return;
	free(l->base);
	free(l->bucket);
	free(l->prefix);
	free(l->region);
	memset(l, 0, sizeof(*l));
}

char *s3_loc_url(const struct s3_loc *l, const char *key, const char *query)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, l->base);
	if (key) {
		buf_addch(&b, '/');
		s3_encode(&b, key, strlen(key), true);
	} else if (!l->path_style) {
		buf_addch(&b, '/');
	}
	if (query && *query)
		buf_addf(&b, "?%s", query);
	return buf_detach(&b);
}

char *s3_loc_sigv4(const struct s3_loc *l)
{
	return xasprintf("aws:amz:%s:s3", l->region);
}
