/*
 * tests/unit/s3_remote.c: the S3 backend against the real local S3 server
 * (tests/s3-server.sh; CAIRN_TEST_S3_* from DIR/env): round trips of
 * zero-byte, small and multipart objects under a prefix that needs
 * encoding, presence checks and listings across pages, deletes, corrupt
 * objects in either direction, an aborted multipart upload leaving nothing
 * behind (C16), and one clear error for a wrong secret, a missing bucket,
 * a wrong region and an unreachable endpoint (C14, C17). Skipped without
 * a server, failed without one when CAIRN_TEST_REQUIRE_S3 is set.
 */
#include "buildconf.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/config.h"
#include "core/gitutil.h"
#include "core/hash.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"
#include "remotes/s3.h"
#include "remotes/s3_req.h"
#include "tests/unit/tap.h"

#define PREFIX "pre fix+%%\xc3\xa9" /* in a format: one '%' */

static const char *endpoint, *akey, *skey;
static char *dir, *bucket;

/* ---- a raw signed request, to set up and inspect the bucket behind cairn's back ---- */

static size_t raw_sink(char *p, size_t s, size_t n, void *arg)
{
	buf_add(arg, p, s * n);
	return s * n;
}

static long raw(const char *method, const char *bkt, const char *key, const char *query,
		const char *body, struct buf *out)
{
	struct curl_slist *h = NULL;
	struct buf url = BUF_INIT;
	char hex[CAIRN_OID_HEXLEN + 1], *line;
	struct oid id;
	long status = 0;
	CURL *c = curl_easy_init();

	buf_addf(&url, "%s/%s", endpoint, bkt);
	if (key) {
		buf_addch(&url, '/');
		s3_encode(&url, key, strlen(key), true);
	}
	if (query)
		buf_addf(&url, "?%s", query);
	hash_buf(&id, body ? body : "", body ? strlen(body) : 0);
	oid_tohex(hex, &id);
	line = xasprintf("x-amz-content-sha256: %s", hex);
	h = curl_slist_append(h, line);
	curl_easy_setopt(c, CURLOPT_URL, url.s);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, "aws:amz:us-east-1:s3");
	curl_easy_setopt(c, CURLOPT_USERNAME, akey);
	curl_easy_setopt(c, CURLOPT_PASSWORD, skey);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (out) { /* the body, or the headers of a HEAD */
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_sink);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
		if (strcmp(method, "HEAD") == 0) {
			curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, raw_sink);
			curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
		}
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	buf_release(&url);
	free(line);
	return status;
}

/* ---- fixtures ---- */

struct prog {
	uint64_t bytes, objects;
};

static void progress(uint64_t bytes, uint64_t objects, void *arg)
{
	struct prog *p = arg;

	p->bytes += bytes;
	p->objects += objects;
}

static int cancel_now;
static uint64_t cancel_after; /* bytes of progress, 0 for never */
static uint64_t cancel_seen;

static void cancel_progress(uint64_t bytes, uint64_t objects, void *arg)
{
	(void)objects;
	(void)arg;
	cancel_seen += bytes;
	if (cancel_after && cancel_seen >= cancel_after)
		cancel_now = 1;
}
static const struct cairn_error *cancel_cb(void *arg)
{
	(void)arg;
	return cancel_now ? err_new(CAIRN_ERR_CANCELLED, "interrupted") : NULL;
}

static void write_file(const char *path, const char *text)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		bail("cannot write %s", path);
}

/*
 * Write .cairn/config with remote "t" (extra lines added to its section)
 * and .cairn/config.local (local, may be NULL), open them and the remote.
 */
static const struct cairn_error *open_remote3(struct remote **r, struct config **cfg,
					      const char *url, const char *extra,
					      const char *local, bool keys)
{
	const struct cairn_error *e;
	char *path = xasprintf("%s/cairn/config", dir), *text;

	text = xasprintf("[remote \"t\"]\n\turl = %s\n\tendpoint = %s\n\tmultipartThreshold = 6m\n"
			 "\tmultipartChunk = 5m\n\tjobs = 8\n\tretries = 1\n%s",
			 url, endpoint, extra ? extra : "");
	write_file(path, text);
	free(text);
	free(path);
	path = xasprintf("%s/cairn/config.local", dir);
	text = keys ? xasprintf("[remote \"t\"]\n\taccessKeyId = %s\n\tsecretAccessKey = %s\n%s",
				akey, skey, local ? local : "")
		    : xstrdup("");
	write_file(path, text);
	free(text);
	text = xasprintf("%s/cairn", dir);
	e = config_open(cfg, text);
	free(text);
	free(path);
	if (e)
		return e;
	if ((e = s3_remote_open(r, "t", url, *cfg, dir)) != NULL) {
		config_close(*cfg);
		*cfg = NULL;
	}
	return e;
}

static const struct cairn_error *open_remote(struct remote **r, struct config **cfg,
					     const char *url, const char *extra)
{
	return open_remote3(r, cfg, url, extra, NULL, true);
}

static void close_remote(struct remote *r, struct config *cfg)
{
	if (r)
		r->ops->close(r);
	config_close(cfg);
}

static struct oid insert(struct cache *c, const void *data, size_t n)
{
	const struct cairn_error *e;
	struct oid id;

	if ((e = cache_insert_buf(&id, c, data, n)) != NULL)
		bail("insert: %s", e->msg);
	return id;
}

/* An id (not stored anywhere) in the same 2-hex folder as other. */
static void same_folder(struct oid *id, const struct oid *other)
{
	char buf[32];
	unsigned i;

	for (i = 0;; i++) {
		snprintf(buf, sizeof(buf), "folder %u", i);
		hash_buf(id, buf, strlen(buf));
		if (id->b[0] == other->b[0] && !oid_equal(id, other))
			return;
	}
}

static char *random_bytes(size_t n, unsigned seed)
{
	char *p = xmalloc(n);
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (char)(seed >> 16);
	}
	return p;
}

static int count_state(const struct remote_item *it, size_t n, enum remote_item_state st)
{
	size_t i;
	int k = 0;

	for (i = 0; i < n; i++)
		k += it[i].state == st;
	return k;
}

/* Flip one byte of a cached object (they are read-only). */
static void corrupt(struct cache *c, const struct oid *id, off_t at)
{
	char *p = cache_path(c, id), b;
	int fd;

	chmod(p, 0644);
	if ((fd = open(p, O_RDWR)) < 0 || pread(fd, &b, 1, at) != 1)
		bail("corrupt %s", p);
	b ^= 1;
	if (pwrite(fd, &b, 1, at) != 1)
		bail("corrupt %s", p);
	close(fd);
	free(p);
}

struct idlist {
	struct oid v[256];
	size_t n;
	size_t unknown_times; /* listed without a LastModified */
};

static const struct cairn_error *list_cb(const struct oid *id, int64_t mtime_ns, void *arg)
{
	struct idlist *l = arg;

	if (mtime_ns == REMOTE_MTIME_UNKNOWN)
		l->unknown_times++;

	if (l->n < 256)
		l->v[l->n] = *id;
	l->n++;
	return NULL;
}

static bool in_list(const struct idlist *l, const struct oid *id)
{
	size_t i;

	for (i = 0; i < l->n && i < 256; i++)
		if (oid_equal(&l->v[i], id))
			return true;
	return false;
}

/* ---- tests ---- */

static void test_s3_remote__round_trip(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct cache *c1, *c2;
	struct remote_item it[5];
	struct prog p = { 0, 0 };
	struct remote_batch b = { 0, progress, &p, NULL, NULL };
	struct idlist l = { .n = 0 };
	char *big = random_bytes(13 << 20, 1), *mid = random_bytes(1 << 20, 2);
	char *d1 = xasprintf("%s/c1", dir), *d2 = xasprintf("%s/c2", dir), *url, *key;
	struct buf out = BUF_INIT;
	size_t i;

	url = xasprintf("s3://%s/" PREFIX "/", bucket);
	if (!ok_noerr(open_remote(&r, &cfg, url, NULL), "open an S3 remote"))
		bail("cannot go on");
	is_str(r->ops->kind, "s3", "its kind");
	ok(!r->ops->read_only, "it takes uploads");
	is_int(r->jobs, 8, "jobs from the configuration");
	if (cache_open(&c1, d1) || cache_open(&c2, d2))
		bail("cache");
	memset(it, 0, sizeof(it));
	it[0].id = insert(c1, "", 0);
	it[1].id = insert(c1, "hello\n", 6);
	it[2].id = insert(c1, mid, 1 << 20);
	it[3].id = insert(c1, big, 13 << 20);
	it[4].id = insert(c2, "only here", 9); /* never pushed */
	cache_flush(c1);
	cache_flush(c2);

	ok_noerr(r->ops->exists(r, it, 5, &b), "exists on an empty remote");
	is_int(count_state(it, 5, REMOTE_MISSING), 5, "everything is missing");
	ok_noerr(r->ops->put(r, c1, it, 4, &b), "put a zero-byte, two small and a multipart object");
	is_int(count_state(it, 4, REMOTE_DONE), 4, "all four are done");
	is_int(p.objects, 4, "progress counted four objects");
	ok(p.bytes == 6 + (1 << 20) + (13 << 20), "and every byte once (%llu)",
	   (unsigned long long)p.bytes);

	key = xasprintf(PREFIX "/sha256/%.2s/%s", oid_hex(&it[3].id), oid_hex(&it[3].id) + 2);
	is_int(raw("HEAD", bucket, key, NULL, NULL, NULL), 200,
	       "the object lies at PREFIX/sha256/xx/<62 hex>");
	free(key);
	is_int(raw("GET", bucket, NULL, "uploads=", NULL, &out), 200, "list multipart uploads");
	ok(strstr(out.s, "<Upload>") == NULL, "no multipart upload is left open");
	buf_reset(&out);

	ok_noerr(r->ops->exists(r, it, 5, &b), "exists after the put");
	is_int(count_state(it, 4, REMOTE_DONE), 4, "the four are present");
	is_int(it[4].state, REMOTE_MISSING, "the other one is not");

	memset(&p, 0, sizeof(p));
	ok_noerr(r->ops->get(r, c2, it, 5, &b), "get everything into another cache");
	is_int(count_state(it, 4, REMOTE_DONE), 4, "four came");
	is_int(it[4].state, REMOTE_MISSING, "a missing one is no error");
	ok_noerr(cache_flush(c2), "flush");
	for (i = 0; i < 4; i++)
		ok_noerr(cache_verify(c2, &it[i].id), "a fetched object matches its name");
	ok(p.bytes == 6 + (1 << 20) + (13 << 20), "download progress counted every byte");

	ok_noerr(r->ops->list(r, list_cb, &l, &b), "list the remote");
	is_int(l.n, 4, "four objects");
	is_int(l.unknown_times, 0, "each with the time it was written (gc --cloud's grace)");
	ok(in_list(&l, &it[0].id) && in_list(&l, &it[3].id), "with their ids");

	ok_noerr(r->ops->del(r, it, 1, &b), "delete one object");
	ok_noerr(r->ops->del(r, it + 1, 4, &b), "delete a batch (one of them missing)");
	is_int(count_state(it, 5, REMOTE_DONE), 5, "a missing object counts as deleted");
	ok_noerr(r->ops->exists(r, it, 5, &b), "exists after the deletes");
	is_int(count_state(it, 5, REMOTE_MISSING), 5, "nothing is left");

	buf_release(&out);
	cache_close(c1);
	cache_close(c2);
	close_remote(r, cfg);
	free(big);
	free(mid);
	free(d1);
	free(d2);
	free(url);
}

static void test_s3_remote__pages(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct cache *c;
	struct remote_item it[60];
	struct remote_batch b = { 0, NULL, NULL, NULL, NULL };
	struct idlist l = { .n = 0 };
	char *d = xasprintf("%s/c3", dir), *url = xasprintf("s3://%s/pages", bucket), buf[32];
	size_t i;
	int ok_all = 1;

	setenv("CAIRN_S3_PAGE", "3", 1);
	if (!ok_noerr(open_remote(&r, &cfg, url, "\tjobs = 64\n"), "open with 3 keys a page"))
		bail("cannot go on");
	if (cache_open(&c, d))
		bail("cache");
	memset(it, 0, sizeof(it));
	for (i = 0; i < 60; i++) {
		snprintf(buf, sizeof(buf), "object %zu", i);
		it[i].id = insert(c, buf, strlen(buf));
	}
	cache_flush(c);
	/* 2 ids in one folder and a third far away in it, so a listing must page and jump */
	ok_noerr(r->ops->put(r, c, it, 45, &b), "put 45 objects");
	ok_noerr(r->ops->exists(r, it, 60, &b), "exists over 60, listing in pages of 3");
	for (i = 0; i < 60; i++)
		ok_all &= it[i].state == (i < 45 ? REMOTE_DONE : REMOTE_MISSING);
	ok(ok_all, "45 present, 15 missing");
	{ /* few items for a large remote: listings by folder, with HEADs */
		struct remote_item few[7];

		memset(few, 0, sizeof(few));
		for (i = 0; i < 4; i++)
			few[i] = it[i];
		same_folder(&few[4].id, &it[0].id);
		same_folder(&few[5].id, &few[4].id);
		while (oid_equal(&few[5].id, &few[4].id) || oid_equal(&few[5].id, &it[0].id))
			few[5].id.b[31]++;
		few[6] = it[50];
		ok_noerr(r->ops->exists(r, few, 7, &b), "exists over 7 items of 45 objects");
		ok(few[0].state == REMOTE_DONE && few[1].state == REMOTE_DONE &&
			   few[2].state == REMOTE_DONE && few[3].state == REMOTE_DONE,
		   "the present ones are found");
		ok(few[4].state == REMOTE_MISSING && few[5].state == REMOTE_MISSING &&
			   few[6].state == REMOTE_MISSING,
		   "the missing ones (two sharing a folder with a present one) are not");
	}
	ok_noerr(r->ops->list(r, list_cb, &l, &b), "list in pages of 3, split by folder");
	is_int(l.n, 45, "every object once");
	for (i = 0, ok_all = 1; i < 45; i++)
		ok_all &= in_list(&l, &it[i].id);
	ok(ok_all, "with the right ids");
	close_remote(r, cfg);
	l.n = 0;
	ok_noerr(open_remote(&r, &cfg, url, "\tjobs = 1\n"), "open with one job");
	ok_noerr(r->ops->list(r, list_cb, &l, &b), "list in pages of 3 with continuation tokens");
	is_int(l.n, 45, "every object once");
	ok_noerr(r->ops->del(r, it, 60, &b), "delete them all (several batches)");
	close_remote(r, cfg);
	unsetenv("CAIRN_S3_PAGE");
	cache_close(c);
	free(d);
	free(url);
}

static void test_s3_remote__corrupt(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct cache *c;
	struct remote_item it[2];
	struct remote_batch b = { 0, NULL, NULL, NULL, NULL };
	const struct cairn_error *e;
	char *big = random_bytes(12 << 20, 3), *d = xasprintf("%s/c4", dir);
	char *url = xasprintf("s3://%s/corrupt", bucket), *key;
	struct buf out = BUF_INIT;

	if (!ok_noerr(open_remote(&r, &cfg, url, NULL), "open"))
		bail("cannot go on");
	if (cache_open(&c, d))
		bail("cache");
	memset(it, 0, sizeof(it));
	it[0].id = insert(c, "small object", 12);
	it[1].id = insert(c, big, 12 << 20);
	cache_flush(c);
	corrupt(c, &it[0].id, 3);
	e = r->ops->put(r, c, it, 1, &b);
	is_err(e, CAIRN_ERR_CORRUPT, "S3 refuses a cached object that does not match its name");
	ok(e && strstr(e->msg, oid_hex(&it[0].id)), "the error names it");
	is_int(it[0].state, REMOTE_FAILED, "it failed");

	corrupt(c, &it[1].id, (10 << 20) + 7);
	e = r->ops->put(r, c, it + 1, 1, &b);
	is_err(e, CAIRN_ERR_CORRUPT, "a multipart upload of a corrupt object stops before completion");
	is_int(raw("GET", bucket, NULL, "uploads=", NULL, &out), 200, "list multipart uploads");
	ok(strstr(out.s, "<Upload>") == NULL, "the upload was aborted: nothing is left (C16)");
	buf_reset(&out);
	ok_noerr(r->ops->exists(r, it, 2, &b), "exists");
	ok(it[0].state == REMOTE_MISSING && it[1].state == REMOTE_MISSING,
	   "neither object is on the remote under its name");

	{ /* interrupted in the middle of a multipart upload */
		struct remote_batch bc = { 2, cancel_progress, NULL, cancel_cb, NULL };
		char *big2 = random_bytes(16 << 20, 5);
		struct remote_item it2 = { insert(c, big2, 16 << 20), 0, 0, 0 };

		cache_flush(c);
		cancel_after = 6 << 20;
		cancel_seen = 0;
		is_err(r->ops->put(r, c, &it2, 1, &bc), CAIRN_ERR_CANCELLED,
		       "a multipart upload interrupted half-way");
		cancel_now = 0;
		cancel_after = 0;
		ok(cancel_seen >= 6 << 20 && cancel_seen < 16 << 20, "was half-way (%llu bytes)",
		   (unsigned long long)cancel_seen);
		is_int(raw("GET", bucket, NULL, "uploads=", NULL, &out), 200, "list uploads");
		ok(strstr(out.s, "<Upload>") == NULL, "the interrupted upload was aborted");
		buf_reset(&out);
		ok_noerr(r->ops->exists(r, &it2, 1, &b), "exists");
		is_int(it2.state, REMOTE_MISSING, "nothing is under its name");
		free(big2);
	}

	/* a remote object that does not match its name */
	key = xasprintf("corrupt/sha256/%.2s/%s", oid_hex(&it[0].id), oid_hex(&it[0].id) + 2);
	is_int(raw("PUT", bucket, key, NULL, "not the content", NULL), 200, "plant a bad object");
	free(key);
	cache_close(c);
	free(d);
	d = xasprintf("%s/c5", dir);
	if (cache_open(&c, d))
		bail("cache");
	e = r->ops->get(r, c, it, 1, &b);
	is_err(e, CAIRN_ERR_CORRUPT, "get refuses an object that does not match its name");
	ok(e && strstr(e->msg, "corrupt") && strstr(e->msg, oid_hex(&it[0].id)), "names it");
	ok(!cache_has(c, &it[0].id), "and it never enters the cache");
	r->ops->del(r, it, 1, &b);
	buf_release(&out);
	cache_close(c);
	close_remote(r, cfg);
	free(big);
	free(d);
	free(url);
}

static void test_s3_remote__max_put(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct cache *c, *c2;
	struct remote_item it[1];
	struct remote_batch b = { 0, NULL, NULL, NULL, NULL };
	char *big = random_bytes(11 << 20, 4), *d = xasprintf("%s/c6", dir);
	char *d2 = xasprintf("%s/c7", dir), *url = xasprintf("s3://%s", bucket), *key;
	struct buf out = BUF_INIT;

	setenv("CAIRN_S3_MAX_PUT", "6m", 1);
	if (!ok_noerr(open_remote(&r, &cfg, url, "\tmultipartThreshold = 1g\n"),
		      "open with a 1 GiB threshold and a 6 MiB single-PUT limit"))
		bail("cannot go on");
	unsetenv("CAIRN_S3_MAX_PUT");
	if (cache_open(&c, d) || cache_open(&c2, d2))
		bail("cache");
	memset(it, 0, sizeof(it));
	it[0].id = insert(c, big, 11 << 20);
	cache_flush(c);
	ok_noerr(r->ops->put(r, c, it, 1, &b), "an object above the PUT limit goes up");
	key = xasprintf("sha256/%.2s/%s", oid_hex(&it[0].id), oid_hex(&it[0].id) + 2);
	is_int(raw("HEAD", bucket, key, NULL, NULL, &out), 200, "at the bucket's root");
	ok(strstr(out.s, "-3\"") != NULL, "in 3 parts (its ETag), though below the threshold");
	ok_noerr(r->ops->get(r, c2, it, 1, &b), "it comes back");
	cache_flush(c2);
	ok_noerr(cache_verify(c2, &it[0].id), "whole");
	r->ops->del(r, it, 1, &b);
	free(key);
	buf_release(&out);
	cache_close(c);
	cache_close(c2);
	close_remote(r, cfg);
	free(big);
	free(d);
	free(d2);
	free(url);
}

static void test_s3_remote__errors(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct cache *c;
	struct remote_item it[3];
	struct remote_batch b = { 0, NULL, NULL, NULL, NULL };
	struct remote_batch bc = { 0, NULL, NULL, cancel_cb, NULL };
	const struct cairn_error *e;
	char *d = xasprintf("%s/c8", dir), *url = xasprintf("s3://%s/e", bucket), *extra;

	if (cache_open(&c, d))
		bail("cache");
	memset(it, 0, sizeof(it));
	it[0].id = insert(c, "e1", 2);
	it[1].id = insert(c, "e2", 2);
	it[2].id = insert(c, "e3", 2);
	cache_flush(c);

	extra = xasprintf("\tsecretAccessKey = wrong-secret-xyz\n");
	ok_noerr(open_remote3(&r, &cfg, url, NULL, extra, true),
		 "open with a wrong secret (the last one in config.local counts)");
	e = r->ops->exists(r, it, 1, &b);
	is_err(e, CAIRN_ERR_AUTH, "HEAD with a wrong secret is AUTH");
	ok(e && strstr(e->msg, "SignatureDoesNotMatch") && strstr(e->msg, "HEAD") &&
		   strstr(e->msg, bucket),
	   "naming the cause, the operation and the bucket: %s", e ? e->msg : "");
	ok(e && !strstr(e->msg, "wrong-secret") && e->hint && !strstr(e->hint, "wrong-secret"),
	   "and never the secret");
	e = r->ops->exists(r, it, 3, &b);
	is_err(e, CAIRN_ERR_AUTH, "a LIST with a wrong secret is AUTH too");
	e = r->ops->put(r, c, it, 1, &b);
	ok(e && e->code == CAIRN_ERR_AUTH && strstr(e->msg, "PUT"), "and a PUT");
	close_remote(r, cfg);
	free(extra);
	free(url);

	url = xasprintf("s3://%s-missing/e", bucket);
	ok_noerr(open_remote(&r, &cfg, url, NULL), "open a missing bucket");
	e = r->ops->exists(r, it, 1, &b);
	is_err(e, CAIRN_ERR_NOT_FOUND, "HEAD: no such bucket");
	ok(e && strstr(e->msg, "no such bucket") && strstr(e->msg, "-missing"), "%s",
	   e ? e->msg : "");
	same_folder(&it[1].id, &it[0].id);
	is_err(r->ops->exists(r, it, 2, &b), CAIRN_ERR_NOT_FOUND, "LIST: no such bucket");
	it[1].id = insert(c, "e2", 2);
	is_err(r->ops->put(r, c, it, 1, &b), CAIRN_ERR_NOT_FOUND, "PUT: no such bucket");
	is_err(r->ops->get(r, c, it, 1, &b), CAIRN_ERR_NOT_FOUND, "GET: no such bucket");
	close_remote(r, cfg);
	free(url);

	url = xasprintf("s3://%s/e", bucket);
	ok_noerr(open_remote(&r, &cfg, url, "\tregion = eu-west-1\n"), "open in a wrong region");
	e = r->ops->exists(r, it, 1, &b);
	ok(e && strstr(e->msg, "region 'us-east-1'") && strstr(e->msg, "not 'eu-west-1'"),
	   "the server's expected region is named: %s", e ? e->msg : "");
	ok(e && e->hint && strstr(e->hint, "region us-east-1"), "with a hint to set it");
	e = r->ops->put(r, c, it, 1, &b);
	ok(e && strstr(e->msg, "region 'us-east-1'"), "a PUT says the same");
	close_remote(r, cfg);
	free(url);

	url = xasprintf("s3://%s/e", bucket);
	extra = xasprintf("\tendpoint = http://127.0.0.1:1\n\tretries = 0\n");
	ok_noerr(open_remote(&r, &cfg, url, extra), "open an unreachable endpoint");
	e = r->ops->exists(r, it, 1, &b);
	is_err(e, CAIRN_ERR_REMOTE, "unreachable");
	ok(e && strstr(e->msg, "cannot reach") && strstr(e->msg, "127.0.0.1"),
	   "curl's words: %s", e ? e->msg : "");
	close_remote(r, cfg);
	free(extra);

	ok_noerr(open_remote(&r, &cfg, url, NULL), "open");
	cancel_now = 1;
	is_err(r->ops->put(r, c, it, 3, &bc), CAIRN_ERR_CANCELLED, "a cancelled batch says so");
	cancel_now = 0;
	ok(count_state(it, 3, REMOTE_DONE) == 0, "and did nothing");
	close_remote(r, cfg);
	free(url);

	url = xasprintf("s3://%s/e", bucket);
	is_err(open_remote3(&r, &cfg, url, NULL, NULL, false), CAIRN_ERR_AUTH,
	       "no keys in the configuration, the environment or a profile");
	setenv("AWS_ACCESS_KEY_ID", akey, 1);
	setenv("AWS_SECRET_ACCESS_KEY", skey, 1);
	ok_noerr(open_remote3(&r, &cfg, url, NULL, NULL, false), "keys from the environment");
	ok_noerr(r->ops->exists(r, it, 3, &b), "are accepted by the server");
	close_remote(r, cfg);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	free(url);
	cache_close(c);
	free(d);
}

int main(void)
{
	const struct cairn_error *e = NULL;
	char *p;

	endpoint = getenv("CAIRN_TEST_S3_ENDPOINT");
	akey = getenv("CAIRN_TEST_S3_ACCESS_KEY");
	skey = getenv("CAIRN_TEST_S3_SECRET_KEY");
	if (endpoint == NULL || *endpoint == '\0') {
		if (getenv("CAIRN_TEST_REQUIRE_S3")) {
			printf("not ok 1 - the S3 test server is required but "
			       "CAIRN_TEST_S3_ENDPOINT is not set\n1..1\n");
			return 1;
		}
		printf("1..0 # SKIP no S3 test server (tests/s3-server.sh start DIR; . DIR/env)\n");
		return 0;
	}
	if (akey == NULL || skey == NULL)
		bail("CAIRN_TEST_S3_ACCESS_KEY and _SECRET_KEY must be set with the endpoint");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("CAIRN_S3_MAX_PUT");
	unsetenv("CAIRN_S3_PAGE");
	gitutil_init();
	dir = tap_tmpdir();
	p = xasprintf("%s/cairn", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/home", dir);
	setenv("HOME", p, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
	setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
	free(p);
	bucket = xasprintf("cairn-unit-%ld-%ld", (long)getpid(), (long)time(NULL) % 100000);
	if (raw("PUT", bucket, NULL, NULL, NULL, NULL) != 200)
		bail("cannot create bucket %s at %s", bucket, endpoint);
	(void)e;
	TAP_RUN(test_s3_remote__round_trip);
	TAP_RUN(test_s3_remote__pages);
	TAP_RUN(test_s3_remote__corrupt);
	TAP_RUN(test_s3_remote__max_put);
	TAP_RUN(test_s3_remote__errors);
	raw("DELETE", bucket, NULL, NULL, NULL, NULL);
	free(bucket);
	tap_rmtree(dir);
	return tap_done();
}
