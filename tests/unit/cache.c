/*
 * tests/unit/cache.c: the object cache (DESIGN 3): layout, insert
 * atomicity (nothing visible before finish and flush, nothing at all after
 * an abort or an expect mismatch, temp files only under tmp/), read-only
 * objects, no rewrite of an existing object, hash checks on read and
 * verify, and quarantine.
 */
#include "buildconf.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/oid.h"
#include "tests/unit/tap.h"

#define HEX_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static char *dir;

/* Files under <dir>/cache/sub (recursively), or -1 when it cannot be read. */
static int count_files(const char *sub)
{
	char cmd[4096];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "find '%s/cache/%s' -type f | wc -l", dir, sub);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

/* Does any file under the object folder have a name that is not its hash? */
static int objects_consistent(void)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
		 "cd '%s/cache/sha256' && find . -type f | while read -r f; do "
		 "n=$(echo \"$f\" | tr -d './'); h=$(sha256sum \"$f\" | cut -c1-64); "
		 "[ \"$n\" = \"$h\" ] || exit 1; done",
		 dir);
	return system(cmd) == 0;
}

static struct cache *open_cache(void)
{
	struct cache *c = NULL;
	char path[4096];

	snprintf(path, sizeof(path), "%s/cache", dir);
	if (cache_open(&c, path) != NULL)
		bail("cache_open failed");
	return c;
}

static void test_cache__layout(void)
{
	struct cache *c = open_cache();
	struct oid id;
	char want[4096], *p;
	struct stat st;

	oid_fromhex(&id, HEX_ABC);
	p = cache_path(c, &id);
	snprintf(want, sizeof(want), "%s/cache/sha256/ba/%s", dir, HEX_ABC + 2);
	is_str(p, want, "<dir>/sha256/<2 hex>/<62 hex>");
	free(p);
	snprintf(want, sizeof(want), "%s/cache/tmp", dir);
	ok(stat(want, &st) == 0 && S_ISDIR(st.st_mode), "cache_open makes tmp/");
	ok(!cache_has(c, &id), "an empty cache has nothing");
	cache_close(c);
}

static void test_cache__insert_visible_only_after_flush(void)
{
	struct cache *c = open_cache();
	struct cache_writer *w;
	struct oid id, want;
	struct stat st;
	char *p;

	oid_fromhex(&want, HEX_ABC);
	ok_noerr(cache_writer_new(&w, c), "start a writer");
	ok_noerr(cache_writer_write(w, "ab", 2), "write 'ab'");
	ok(!cache_has(c, &want), "nothing visible while writing");
	is_int(count_files("sha256"), 0, "no file under sha256/ while writing");
	is_int(count_files("tmp"), 1, "the bytes are in one temp file under tmp/");
	ok_noerr(cache_writer_write(w, "c", 1), "write 'c'");
	ok_noerr(cache_writer_finish(&id, w, &want), "finish with the right expectation");
	ok(oid_equal(&id, &want), "the id is the SHA-256 of 'abc'");
	ok(!cache_has(c, &id), "a small object is not visible before the flush");
	ok_noerr(cache_flush(c), "flush");
	ok(cache_has(c, &id), "visible after the flush");
	is_int(count_files("tmp"), 0, "no temp file left");
	p = cache_path(c, &id);
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0444, "objects are read-only (0444)");
	free(p);
	ok(objects_consistent(), "every object's content matches its name");
	cache_close(c);
}

static void test_cache__expect_mismatch_leaves_nothing(void)
{
	struct cache *c = open_cache();
	struct cache_writer *w;
	struct oid id, want, other;
	const struct cairn_error *e;

	oid_fromhex(&want, HEX_ABC);
	ok_noerr(cache_writer_new(&w, c), "start a writer");
	ok_noerr(cache_writer_write(w, "abd", 3), "write different bytes");
	e = cache_writer_finish(&id, w, &want);
	is_err(e, CAIRN_ERR_CORRUPT, "finish with a wrong expectation is CORRUPT");
	ok_noerr(cache_flush(c), "flush");
	hash_buf(&other, "abd", 3);
	ok(!cache_has(c, &other), "the wrong content did not enter under its own name");
	is_int(count_files("tmp"), 0, "its temp file is gone");
	ok(objects_consistent(), "every object's content matches its name");
	cache_close(c);
}

static void test_cache__abort_and_close(void)
{
	struct cache *c = open_cache();
	struct cache_writer *w;
	struct oid id;

	ok_noerr(cache_writer_new(&w, c), "start a writer");
	ok_noerr(cache_writer_write(w, "aborted", 7), "write");
	cache_writer_abort(w);
	is_int(count_files("tmp"), 0, "abort removes the temp file");
	ok_noerr(cache_writer_new(&w, c), "start another");
	ok_noerr(cache_writer_write(w, "never flushed", 13), "write");
	ok_noerr(cache_writer_finish(&id, w, NULL), "finish");
	is_int(count_files("tmp"), 1, "the pending object waits in tmp/");
	cache_close(c);
	is_int(count_files("tmp"), 0, "closing without a flush discards it");
	c = open_cache();
	ok(!cache_has(c, &id), "and it never became visible");
	cache_close(c);
}

static void test_cache__large_object(void)
{
	struct cache *c = open_cache();
	struct cache_writer *w;
	size_t n = (8u << 20) + 17, i;
	char *big = malloc(n);
	struct oid id, want;

	if (big == NULL)
		bail("out of memory");
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7 + i / 4096);
	hash_buf(&want, big, n);
	ok_noerr(cache_writer_new(&w, c), "start a writer");
	for (i = 0; i < n; i += 1000003)
		cache_writer_write(w, big + i, n - i < 1000003 ? n - i : 1000003);
	ok_noerr(cache_writer_finish(&id, w, &want), "finish an object over 8 MiB");
	ok(oid_equal(&id, &want), "its id");
	ok(cache_has(c, &id), "a large object is synced and visible at once");
	ok_noerr(cache_verify(c, &id), "and verifies");
	free(big);
	cache_close(c);
}

static void test_cache__existing_not_rewritten(void)
{
	struct cache *c = open_cache();
	struct oid id, id2;
	struct stat st1, st2;
	char *p;

	ok_noerr(cache_insert_buf(&id, c, "same", 4), "insert 'same'");
	ok_noerr(cache_flush(c), "flush");
	p = cache_path(c, &id);
	stat(p, &st1);
	ok_noerr(cache_insert_buf(&id2, c, "same", 4), "insert it again");
	ok_noerr(cache_flush(c), "flush");
	stat(p, &st2);
	ok(oid_equal(&id, &id2) && st1.st_ino == st2.st_ino, "the object was not replaced");
	is_int(count_files("tmp"), 0, "no temp file left");
	free(p);
	cache_close(c);
}

static void test_cache__insert_fd(void)
{
	struct cache *c = open_cache();
	char path[4096];
	struct oid id, want;
	uint64_t size = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/in", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && write(fd, "xxabc", 5) == 5, "write a file");
	lseek(fd, 2, SEEK_SET);
	ok_noerr(cache_insert_fd(&id, &size, c, fd), "insert from offset 2");
	close(fd);
	oid_fromhex(&want, HEX_ABC);
	ok(oid_equal(&id, &want) && size == 3, "the id and size of 'abc'");
	ok_noerr(cache_flush(c), "flush");
	ok(cache_has(c, &want), "present");
	cache_close(c);
}

static void test_cache__corruption(void)
{
	struct cache *c = open_cache();
	const struct cairn_error *e;
	struct oid id;
	char *p, *data = NULL, qdir[4096], qpath[4200];
	size_t len;
	struct stat st;
	int fd;

	ok_noerr(cache_insert_buf(&id, c, "precious", 8), "insert 'precious'");
	ok_noerr(cache_flush(c), "flush");
	ok_noerr(cache_verify(c, &id), "it verifies");
	ok_noerr(cache_read_small(&data, &len, c, &id, 100), "read it back");
	ok(data && len == 8 && memcmp(data, "precious", 8) == 0, "same bytes");
	free(data);
	data = NULL;
	is_err(cache_read_small(&data, &len, c, &id, 4), CAIRN_ERR_FORMAT,
	       "reading more than max is refused");
	p = cache_path(c, &id);
	chmod(p, 0644);
	fd = open(p, O_WRONLY);
	ok(fd >= 0 && pwrite(fd, "Precious", 8, 0) == 8, "flip one byte of the object");
	close(fd);
	e = cache_verify(c, &id);
	is_err(e, CAIRN_ERR_CORRUPT, "cache_verify finds the flipped byte");
	is_err(cache_read_small(&data, &len, c, &id, 100), CAIRN_ERR_CORRUPT,
	       "cache_read_small refuses it");
	snprintf(qdir, sizeof(qdir), "%s/quarantine", dir);
	cache_set_quarantine(c, qdir);
	e = cache_quarantine(c, &id, cache_verify(c, &id));
	ok(e && e->code == CAIRN_ERR_CORRUPT && strstr(e->msg, "moved to"),
	   "quarantine keeps the error and says where the object went");
	ok(!cache_has(c, &id), "the object left the cache");
	snprintf(qpath, sizeof(qpath), "%s/%s", qdir, oid_hex(&id));
	ok(stat(qpath, &st) == 0, "it is in the quarantine folder, not deleted");
	is_err(cache_verify(c, &id), CAIRN_ERR_NOT_FOUND, "verify of a missing object");
	{
		int ofd;

		is_err(cache_open_object(&ofd, NULL, c, &id), CAIRN_ERR_NOT_FOUND,
		       "open of a missing object is NOT_FOUND");
	}
	free(p);
	cache_close(c);
}

int main(void)
{
	dir = tap_tmpdir();
	TAP_RUN(test_cache__layout);
	TAP_RUN(test_cache__insert_visible_only_after_flush);
	TAP_RUN(test_cache__expect_mismatch_leaves_nothing);
	TAP_RUN(test_cache__abort_and_close);
	TAP_RUN(test_cache__large_object);
	TAP_RUN(test_cache__existing_not_rewritten);
	TAP_RUN(test_cache__insert_fd);
	TAP_RUN(test_cache__corruption);
	tap_rmtree(dir);
	return tap_done();
}
