/*
 * tests/unit/remote.c: the remote_ops contract against the local folder
 * backend (put, exists, get, list, del), object keys, URL kinds, and
 * remote_open's lookups (default remote, unknown names, relative paths).
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/hash.h"
#include "core/xmalloc.h"
#include "remotes/local.h"
#include "remotes/remote.h"
#include "tests/unit/tap.h"

static char *dir;

static void test_remote__keys(void)
{
	struct oid id, back;
	char *key;

	hash_buf(&id, "x", 1);
	key = remote_object_key(&id);
	ok(strncmp(key, "sha256/", 7) == 0 && key[9] == '/' && strlen(key) == 7 + 65,
	   "a key is sha256/xx/<62 hex>");
	ok(remote_parse_key(&back, key) && oid_equal(&back, &id), "a key parses back to its id");
	key[8] = 'Z';
	ok(!remote_parse_key(&back, key), "a non-hex key is refused");
	ok(!remote_parse_key(&back, "sha256/ab/cd"), "a short key is refused");
	ok(!remote_parse_key(&back, "tmp/put-abc"), "a temp name is refused");
	free(key);
}

static void test_remote__url_kind(void)
{
	is_str(remote_url_kind("/abs/path"), "local", "an absolute path is local");
	is_str(remote_url_kind("../rel"), "local", "a relative path is local");
	is_str(remote_url_kind("file:///x"), "local", "file:// is local");
	is_str(remote_url_kind("s3://bucket/p"), "s3", "s3:// is S3");
	is_str(remote_url_kind("HTTPS://h/p"), "http", "https:// is HTTP, any case");
	is_str(remote_url_kind("dir/a://b"), "local", "a '://' after a '/' is part of a path");
	ok(remote_url_kind("ssh://h/p") == NULL, "other schemes are unknown");
}

static void put_cfg(struct config *cfg, const char *key, const char *val)
{
	if (config_set(cfg, CONFIG_REPO, key, val) != NULL)
		bail("config_set %s", key);
}

static void test_remote__open(void)
{
	char *cairn = fs_join(dir, ".cairn");
	struct config *cfg;
	struct remote *r = NULL;
	const struct cairn_error *e;

	if ((e = fs_mkdirs(cairn, 0777)) != NULL || (e = config_open(&cfg, cairn)) != NULL)
		bail("config: %s", e->msg);
	e = remote_open(&r, cfg, NULL, dir);
	is_err(e, CAIRN_ERR_NOT_FOUND, "no default remote: NOT_FOUND");
	ok(e && strstr(e->msg, "no default remote") && e->hint, "... said so, with a hint");
	is_err(remote_open(&r, cfg, "nope", dir), CAIRN_ERR_NOT_FOUND, "an unknown remote");
	put_cfg(cfg, "remote.rel.url", "store");
	put_cfg(cfg, "remote.rel.jobs", "3");
	put_cfg(cfg, "core.remote", "rel");
	ok_noerr(remote_open(&r, cfg, NULL, dir), "the default remote opens");
	ok(r && strcmp(r->name, "rel") == 0 && strcmp(r->ops->kind, "local") == 0 && r->jobs == 3,
	   "name, kind and remote.NAME.jobs");
	remote_close(r);
	put_cfg(cfg, "remote.bad.url", "ftp://host/x");
	is_err(remote_open(&r, cfg, "bad", dir), CAIRN_ERR_USAGE, "an unknown scheme");
	put_cfg(cfg, "remote.j.url", "/x");
	put_cfg(cfg, "remote.j.jobs", "9999");
	is_err(remote_open(&r, cfg, "j", dir), CAIRN_ERR_FORMAT, "jobs out of range");
	put_cfg(cfg, "remote.h.url", "file://otherhost/x");
	is_err(remote_open(&r, cfg, "h", dir), CAIRN_ERR_USAGE, "file:// of another host");
	remote_close(NULL);
	config_close(cfg);
	free(cairn);
}

/* A cache with three objects: "alpha", "" and 3 MiB of pattern. */
static struct cache *make_cache(const char *name, struct remote_item it[3])
{
	struct cache *c;
	char *path = fs_join(dir, name), *big;
	size_t i, n = 3u << 20;

	if (cache_open(&c, path))
		bail("cache_open");
	free(path);
	big = xmalloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7);
	if (cache_insert_buf(&it[0].id, c, "alpha", 5) || cache_insert_buf(&it[1].id, c, "", 0) ||
	    cache_insert_buf(&it[2].id, c, big, n) || cache_flush(c))
		bail("insert");
	it[0].size = 5;
	it[1].size = 0;
	it[2].size = n;
	free(big);
	return c;
}

static const struct cairn_error *count_cb(const struct oid *id, int64_t mtime_ns, void *arg)
{
	(void)id;
	(void)mtime_ns;
	(*(int *)arg)++;
	return NULL;
}

static uint64_t progress_bytes;

static void on_progress(uint64_t bytes, uint64_t objects, void *arg)
{
	(void)objects;
	(void)arg;
	progress_bytes += bytes;
}

static void test_remote__local_contract(void)
{
	struct remote_item it[3], one;
	struct remote_batch b = { 2, on_progress, NULL, NULL, NULL };
	struct cache *src = make_cache("c1", it), *dst = NULL;
	struct remote *r;
	char *store = fs_join(dir, "store"), *obj, *key;
	int n = 0, i;
	struct stat st;

	if (cache_open(&dst, (obj = fs_join(dir, "c2"))))
		bail("cache");
	free(obj);
	ok_noerr(local_remote_open(&r, "t", store, NULL, NULL), "open a local remote");
	ok_noerr(r->ops->exists(r, it, 3, &b), "exists on a folder not made yet");
	ok(it[0].state == REMOTE_MISSING && it[2].state == REMOTE_MISSING, "... holds nothing");
	ok_noerr(r->ops->list(r, count_cb, &n, &b), "list of a folder not made yet");
	ok_noerr(r->ops->put(r, src, it, 3, &b), "put three objects");
	ok(it[0].state == REMOTE_DONE && it[1].state == REMOTE_DONE && it[2].state == REMOTE_DONE,
	   "... all done");
	ok(progress_bytes == 5 + (3u << 20), "progress counted every byte");
	key = remote_object_key(&it[2].id);
	obj = fs_join(store, key);
	ok(stat(obj, &st) == 0 && st.st_size == (off_t)(3u << 20) && (st.st_mode & 0222) == 0,
	   "the object is at its key, whole and read-only");
	for (i = 0; i < 3; i++)
		it[i].state = REMOTE_PENDING;
	ok_noerr(r->ops->exists(r, it, 3, &b), "exists");
	ok(it[0].state == REMOTE_DONE && it[1].state == REMOTE_DONE, "... finds them");
	/* temp and foreign names are not objects */
	free(key);
	key = fs_join(store, "tmp/put-leftover");
	close(open(key, O_CREAT | O_WRONLY, 0644));
	free(key);
	key = fs_join(store, "sha256/ab");
	fs_mkdirs(key, 0777);
	free(key);
	key = fs_join(store, "sha256/ab/not-an-object");
	close(open(key, O_CREAT | O_WRONLY, 0644));
	free(key);
	n = 0;
	ok_noerr(r->ops->list(r, count_cb, &n, &b), "list");
	is_int(n, 3, "list skips temp and foreign names");
	/* a truncated file under the name is not present */
	if (chmod(obj, 0644) < 0 || truncate(obj, 10) < 0)
		bail("truncate");
	one = it[2];
	ok_noerr(r->ops->exists(r, &one, 1, &b), "exists with a truncated object");
	ok(one.state == REMOTE_MISSING, "... counts it as missing");
	ok_noerr(r->ops->put(r, src, &one, 1, &b), "put replaces it");
	ok(stat(obj, &st) == 0 && st.st_size == (off_t)(3u << 20), "... with the whole object");
	/* get into another cache, verified */
	ok_noerr(r->ops->get(r, dst, it, 3, &b), "get three objects");
	ok_noerr(cache_flush(dst), "flush");
	ok(cache_has(dst, &it[0].id) && cache_has(dst, &it[2].id), "they are in the other cache");
	/* a flipped byte never enters the cache */
	{
		char *dstobj = cache_path(dst, &it[0].id), *k0 = remote_object_key(&it[0].id);
		char *o0 = fs_join(store, k0);
		FILE *f;

		unlink(dstobj);
		chmod(o0, 0644);
		f = fopen(o0, "w");
		fputs("alphA", f);
		fclose(f);
		one = it[0];
		is_err(r->ops->get(r, dst, &one, 1, &b), CAIRN_ERR_CORRUPT, "a flipped byte: CORRUPT");
		ok(one.state == REMOTE_FAILED, "... the item failed");
		cache_flush(dst);
		ok(!cache_has(dst, &it[0].id), "... and is not in the cache");
		unlink(o0);
		one.state = REMOTE_PENDING;
		ok_noerr(r->ops->get(r, dst, &one, 1, &b), "get of a deleted object");
		ok(one.state == REMOTE_MISSING, "... is MISSING, not an error");
		free(dstobj);
		free(k0);
		free(o0);
	}
	ok_noerr(r->ops->del(r, it, 3, &b), "del (one already gone)");
	n = 0;
	r->ops->list(r, count_cb, &n, &b);
	is_int(n, 0, "nothing is left");
	remote_close(r);
	cache_close(src);
	cache_close(dst);
	free(obj);
	free(store);
}

int main(void)
{
	gitutil_init();
	dir = tap_tmpdir();
	TAP_RUN(test_remote__keys);
	TAP_RUN(test_remote__url_kind);
	TAP_RUN(test_remote__open);
	TAP_RUN(test_remote__local_contract);
	tap_rmtree(dir);
	return tap_done();
}
