/*
 * s3.c: the S3 backend's handle: its settings (remote.<name>.*), the
 * request helpers every S3 call shares, and the mapping of a failed answer
 * to one error line naming the bucket, the operation and the cause. The
 * batch calls live in s3_exists.c, s3_put.c and s3_get.c.
 */
#include "buildconf.h"

#include "remotes/s3.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/xmalloc.h"
#include "remotes/s3_int.h"
#include "remotes/s3_xml.h"

#define S3_JOBS_DEFAULT 16
#define S3_RETRIES_DEFAULT 4
#define S3_THRESHOLD_DEFAULT (64 * S3_MiB)
#define S3_CHUNK_DEFAULT (16 * S3_MiB)

static void s3_close(struct remote *r);

static const struct remote_ops s3_ops = {
	.kind = "s3",
	.read_only = false,
	.close = s3_close,
	.exists = s3_exists,
	.put = s3_put,
	.get = s3_get,
	.list = s3_list,
	.del = s3_del,
};

/* ---- settings ---- */

/*
 * remote.<name>.<setting>, setting in its canonical camelCase spelling
 * (cairn-config(5): git-config names hold no '_' and ignore case).
 */
static char *s3_conf_key(const struct s3_remote *s, struct config *cfg, const char *setting)
{
	if (cfg == NULL || strcmp(s->base.name, s->base.url) == 0)
		return NULL; /* opened by URL: no settings */
	return xasprintf("remote.%s.%s", s->base.name, setting);
}

static const struct cairn_error *s3_conf_str(char **out, const struct s3_remote *s,
					     struct config *cfg, const char *setting)
{
	const struct cairn_error *e;
	char *key = s3_conf_key(s, cfg, setting);

	*out = NULL;
	if (key == NULL)
		return NULL;
	e = config_get_str(out, cfg, key);
	free(key);
	if (e == NULL && *out && **out == '\0') {
		free(*out);
		*out = NULL;
	}
	return e;
}

static const struct cairn_error *s3_conf_int(int64_t *out, const struct s3_remote *s,
					     struct config *cfg, const char *setting, int64_t def,
					     int64_t min, int64_t max)
{
	const struct cairn_error *e;
	char *key = s3_conf_key(s, cfg, setting);

	*out = def;
	if (key == NULL)
		return NULL;
	if ((e = config_get_int(out, cfg, key, def)) == NULL && (*out < min || *out > max))
		e = err_new(CAIRN_ERR_FORMAT, "config '%s': %lld is out of range (%lld to %lld)",
			    key, (long long)*out, (long long)min, (long long)max);
	free(key);
	return e;
}

/* *out: -1 when unset, else 0 or 1. */
static const struct cairn_error *s3_conf_bool(int *out, const struct s3_remote *s,
					      struct config *cfg, const char *setting)
{
	const struct cairn_error *e;
	char *key = s3_conf_key(s, cfg, setting), *v = NULL;
	bool bv;

	*out = -1;
	if (key == NULL)
		return NULL;
	if ((e = config_get_str(&v, cfg, key)) == NULL && v != NULL &&
	    (e = config_get_bool(&bv, cfg, key, false)) == NULL)
		*out = bv;
	free(v);
	free(key);
	return e;
}

/*
 * Test knobs, so tests need no 5 GiB file or 1,000 objects to reach a
 * limit: CAIRN_S3_MAX_PUT lowers the single-PUT limit, CAIRN_S3_PAGE the
 * keys per listing page. A number with an optional k/m/g suffix; def when
 * unset, malformed or not below max.
 */
static uint64_t s3_knob(const char *name, uint64_t def, uint64_t max)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (v == NULL || !isdigit((unsigned char)*v))
		return def;
	n = strtoull(v, &end, 10);
	switch (tolower((unsigned char)*end)) {
	case 'k': n <<= 10; break;
	case 'm': n <<= 20; break;
	case 'g': n <<= 30; break;
	default: break;
	}
	return n == 0 || n >= max ? def : n;
}

void s3_list_request(struct s3_remote *s, struct net_req *r, CURL *easy, const char *prefix,
		     const char *token, const char *after)
{
	struct s3_query q = S3_QUERY_INIT;
	char n[16], *query;

	s3_query_add(&q, "list-type", "2");
	if (s->page) {
		snprintf(n, sizeof(n), "%u", s->page);
		s3_query_add(&q, "max-keys", n);
	}
	s3_query_add(&q, "prefix", prefix);
	if (token)
		s3_query_add(&q, "continuation-token", token);
	else if (after)
		s3_query_add(&q, "start-after", after);
	query = s3_query_build(&q);
	s3_request(s, r, easy, NULL, query, NULL);
	free(query);
	s3_query_release(&q);
}

static const char *s3_env(const char *a, const char *b)
{
	const char *v = getenv(a);

	if (v == NULL || *v == '\0')
		v = b ? getenv(b) : NULL;
	return v && *v ? v : NULL;
}

static const struct cairn_error *s3_settings(struct s3_remote *s, struct config *cfg)
{
	const struct cairn_error *e;
	char *endpoint = NULL, *region = NULL, *key = NULL, *secret = NULL, *token = NULL;
	char *profile = NULL;
	struct s3_cred_conf cc;
	int64_t v, t;
	int path_style;

	if ((e = s3_conf_str(&endpoint, s, cfg, "endpoint")) ||
	    (e = s3_conf_str(&region, s, cfg, "region")) ||
	    (e = s3_conf_str(&profile, s, cfg, "profile")) ||
	    (e = s3_conf_str(&key, s, cfg, "accessKeyId")) ||
	    (e = s3_conf_str(&secret, s, cfg, "secretAccessKey")) ||
	    (e = s3_conf_str(&token, s, cfg, "sessionToken")) ||
	    (e = s3_conf_str(&s->sse, s, cfg, "sse")) ||
	    (e = s3_conf_bool(&path_style, s, cfg, "pathStyle")))
		goto done;
	if (s->sse && strcmp(s->sse, "AES256") != 0 && strcmp(s->sse, "aws:kms") != 0) {
		e = err_new(CAIRN_ERR_FORMAT, "remote '%s': sse must be AES256 or aws:kms, not '%s'",
			    s->base.name, s->sse);
		goto done;
	}
	if ((e = s3_conf_int(&v, s, cfg, "jobs", S3_JOBS_DEFAULT, 1, 256)) != NULL)
		goto done;
	s->base.jobs = (int)v;
	if ((e = s3_conf_int(&v, s, cfg, "multipartThreshold", S3_THRESHOLD_DEFAULT, 0,
			     INT64_MAX)) != NULL)
		goto done;
	s->threshold = (uint64_t)v;
	if ((e = s3_conf_int(&v, s, cfg, "multipartChunk", S3_CHUNK_DEFAULT, S3_PART_MIN,
			     S3_PART_MAX)) != NULL)
		goto done;
	s->chunk = (uint64_t)v;
	if ((e = s3_conf_int(&v, s, cfg, "retries", S3_RETRIES_DEFAULT, 0, 20)) != NULL)
		goto done;
	if ((e = s3_conf_int(&t, s, cfg, "timeout", NET_TIMEOUT_DEFAULT, 1, 3600)) != NULL)
		goto done;
	s->x = net_new((int)v, (int)t);
	s->max_put = s3_knob("CAIRN_S3_MAX_PUT", S3_PUT_MAX, S3_PUT_MAX);
	s->page = (unsigned)s3_knob("CAIRN_S3_PAGE", 0, 1000);

	/* a bad URL or endpoint is said before anything about credentials */
	if ((e = s3_loc_init(&s->loc, s->base.url, endpoint, "us-east-1", path_style)) != NULL)
		goto done;
	s3_loc_release(&s->loc);

	memset(&cc, 0, sizeof(cc));
	cc.remote = s->base.name;
	cc.access_key_id = key;
	cc.secret_access_key = secret;
	cc.session_token = token;
	cc.profile = profile;
	if ((e = s3_cred_resolve(&s->cred, &cc)) != NULL)
		goto done;
	/* region: the setting, the environment, the profile, us-east-1 */
	if ((e = s3_loc_init(&s->loc, s->base.url, endpoint,
			     region	     ? region
			     : s3_env("AWS_REGION", "AWS_DEFAULT_REGION")
				     ? s3_env("AWS_REGION", "AWS_DEFAULT_REGION")
				     : s->cred.region,
			     path_style)) != NULL)
		goto done;
	s->sigv4 = s3_loc_sigv4(&s->loc);
done:
	free(endpoint);
	free(region);
	free(profile);
	if (secret)
		memset(secret, 0, strlen(secret));
	free(key);
	free(secret);
	free(token);
	return e;
}

const struct cairn_error *s3_remote_open(struct remote **out, const char *name, const char *url,
					 struct config *cfg, const char *root)
{
	const struct cairn_error *e;
	struct s3_remote *s = xcalloc(1, sizeof(*s));

	(void)root;
	*out = NULL;
	s->base.ops = &s3_ops;
	s->base.url = xstrdup(url);
	s->base.name = xstrdup(name ? name : url);
	if ((e = s3_settings(s, cfg)) != NULL) {
		s3_close(&s->base);
		return e;
	}
	*out = &s->base;
	return NULL;
}

static void s3_close(struct remote *r)
{
	struct s3_remote *s = (struct s3_remote *)r;

	if (s == NULL)
		return;
	net_free(s->x);
	s3_loc_release(&s->loc);
	s3_cred_release(&s->cred);
	free(s->sigv4);
	free(s->sse);
	free(s->base.name);
	free(s->base.url);
	free(s);
}

/* ---- requests ---- */

int s3_jobs(const struct s3_remote *s, const struct remote_batch *b)
{
	return b && b->jobs > 0 ? b->jobs : s->base.jobs;
}

char *s3_key(const struct s3_remote *s, const struct oid *id)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	oid_tohex(hex, id);
	return xasprintf("%ssha256/%.2s/%s", s->loc.prefix, hex, hex + 2);
}

void s3_header(struct net_req *r, const char *fmt, ...)
{
	struct curl_slist *l;
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if ((l = curl_slist_append(r->hdrs, line)) == NULL)
		xmalloc((size_t)-1); /* out of memory: exits */
	r->hdrs = l;
}

void s3_request(struct s3_remote *s, struct net_req *r, CURL *easy, const char *key,
		const char *query, const char *payload_sha256)
{
	char *url = s3_loc_url(&s->loc, key, query);

	curl_easy_setopt(easy, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(easy, CURLOPT_USERNAME, s->cred.access_key_id);
	curl_easy_setopt(easy, CURLOPT_PASSWORD, s->cred.secret_access_key);
	s3_header(r, "x-amz-content-sha256: %s",
		  payload_sha256 ? payload_sha256 : CAIRN_OID_EMPTY_HEX);
	if (s->cred.session_token) {
		struct curl_slist *l;
		char *h = xasprintf("x-amz-security-token: %s", s->cred.session_token);

		if ((l = curl_slist_append(r->hdrs, h)) == NULL)
			xmalloc((size_t)-1);
		r->hdrs = l;
		free(h);
	}
}

/* ---- errors ---- */

char *s3_answer_code(const struct net_req *r)
{
	struct s3_xml_error xe;
	char *code;

	if (r->rc != CURLE_OK || r->body.len == 0)
		return NULL;
	s3_xml_error(&xe, r->body.s, r->body.len);
	code = xe.code;
	xe.code = NULL;
	s3_xml_error_release(&xe);
	return code;
}

bool s3_no_bucket(const struct net_req *r)
{
	char *code = s3_answer_code(r);
	bool no = code && strcmp(code, "NoSuchBucket") == 0;

	free(code);
	return no;
}

bool s3_transient(const struct net_req *r)
{
	char *code;
	bool t;

	if (net_transient(r))
		return true;
	if (r->rc != CURLE_OK || (code = s3_answer_code(r)) == NULL)
		return false;
	t = strcmp(code, "SlowDown") == 0 || strcmp(code, "RequestTimeout") == 0 ||
	    strcmp(code, "InternalError") == 0 || strcmp(code, "ServiceUnavailable") == 0;
	free(code);
	return t;
}

/* Why S3 refused, in words, for the codes users meet. */
static const char *s3_explain(const char *code, const char *op)
{
	static const struct {
		const char *code, *why;
	} table[] = {
		{ "SignatureDoesNotMatch", "the secret access key is wrong" },
		{ "InvalidAccessKeyId", "the access key id is unknown" },
		{ "ExpiredToken", "the session token has expired" },
		{ "InvalidToken", "the session token is invalid" },
		{ "TokenRefreshRequired", "the session token has expired" },
		{ "RequestTimeTooSkewed", "this machine's clock is wrong" },
		{ "AccountProblem", "the AWS account is disabled" },
	};
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(code, table[i].code) == 0)
			return table[i].why;
	if (strcmp(code, "AccessDenied") == 0) {
		if (strcmp(op, "LIST") == 0)
			return "the credentials lack s3:ListBucket";
		if (strcmp(op, "DELETE") == 0)
			return "the credentials lack s3:DeleteObject";
		if (strcmp(op, "GET") == 0 || strcmp(op, "HEAD") == 0)
			return "the credentials lack s3:GetObject (or s3:ListBucket, which turns a "
			       "missing object into 403)";
		return "the credentials lack s3:PutObject";
	}
	return NULL;
}

const struct cairn_error *s3_fail(struct s3_remote *s, const struct net_req *r, const char *op)
{
	const struct cairn_error *e;
	const char *b = s->loc.bucket, *region, *why;
	struct s3_xml_error xe;
	char *hregion, detail[256];

	if (r->sink_failed)
		return err_load(&r->sink_err);
	if (r->rc != CURLE_OK) {
		switch (r->rc) {
		case CURLE_COULDNT_CONNECT:
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_SSL_CONNECT_ERROR:
		case CURLE_PEER_FAILED_VERIFICATION:
			return err_curl(r->rc, r->errbuf, 0, NULL,
					"cannot reach the S3 endpoint of bucket '%s'", b);
		default:
			return err_curl(r->rc, r->errbuf, 0, NULL, "S3 %s in bucket '%s' failed", op,
					b);
		}
	}
	s3_xml_error(&xe, r->body.s, r->body.len);
	hregion = net_header(r, "x-amz-bucket-region");
	region = xe.region ? xe.region : hregion;
	if (region && *region && strcmp(region, s->loc.region) != 0) {
		e = err_hint(err_new(CAIRN_ERR_REMOTE, "bucket '%s' is in region '%s', not '%s'", b,
				     region, s->loc.region),
			     "set the remote's region: cairn remote modify %s region %s",
			     s->base.name, region);
	} else if ((r->status >= 300 && r->status < 400) ||
		   (xe.code && (strcmp(xe.code, "PermanentRedirect") == 0 ||
				strcmp(xe.code, "AuthorizationHeaderMalformed") == 0))) {
		e = err_hint(err_curl(CURLE_OK, NULL, r->status, xe.code,
				      "bucket '%s' is not in region '%s'", b, s->loc.region),
			     "set the remote's region (cairn remote modify %s region ...)",
			     s->base.name);
	} else if (xe.code && strcmp(xe.code, "NoSuchBucket") == 0) {
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "no such bucket '%s'", b),
			     "check the remote's URL and endpoint, or create the bucket");
	} else {
		why = s3_explain(xe.code, op);
		if (why == NULL && (r->status == 401 || r->status == 403))
			why = "wrong credentials or no permission";
		snprintf(detail, sizeof(detail), "%s%s%s%s", xe.code ? xe.code : "",
			 why ? (xe.code ? " (" : "(") : "", why ? why : "", why ? ")" : "");
		e = err_curl(CURLE_OK, NULL, r->status, detail, "S3 refused %s in bucket '%s'", op,
			     b);
		if (err_is(e, CAIRN_ERR_AUTH))
			e = err_hint(e, "the keys came from %s", s->cred.source);
		else if (s->sse && xe.code && strcmp(xe.code, "NotImplemented") == 0)
			e = err_hint(e, "this S3 server may not implement server-side encryption "
					"(the remote's sse setting)");
	}
	free(hregion);
	s3_xml_error_release(&xe);
	return e;
}
