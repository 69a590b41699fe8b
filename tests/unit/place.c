/*
 * tests/unit/place.c: placing many files on several threads: every file
 * whole at its place whatever the thread count, links when cache.type asks,
 * a missing object or folder stopping the run with what was placed whole,
 * and a cancel between files.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/hash.h"
#include "core/link.h"
#include "core/place.h"
#include "core/repo.h"
#include "core/work.h"
#include "tests/unit/tap.h"

#define NFILES 150

static char *dir;
static struct oid ids[NFILES];

static void sh(const char *cmd)
{
	char full[8192];

	snprintf(full, sizeof(full), "cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);
	if (system(full) != 0)
		bail("setup failed: %s", cmd);
}

static void content(char *buf, size_t cap, int i)
{
	snprintf(buf, cap, "file number %d\n", i);
}

/* Queue NFILES files over three folders, one of them past a chunk. */
static struct place_queue *queue(void)
{
	struct place_queue *q = place_new();
	char name[32], buf[64];
	int i;

	for (i = 0; i < NFILES; i++) {
		content(buf, sizeof(buf), i);
		snprintf(name, sizeof(name), "f%03d", i);
		place_add(q, i < 100 ? "out/a" : i < 140 ? "out/b/c" : "out", name, &ids[i],
			  strlen(buf), false);
	}
	return q;
}

static int check_all(void)
{
	char path[64], want[64], got[64];
	int i, bad = 0;

	for (i = 0; i < NFILES; i++) {
		int fd;
		ssize_t n;

		snprintf(path, sizeof(path), "%s/f%03d",
			 i < 100 ? "out/a" : i < 140 ? "out/b/c" : "out", i);
		content(want, sizeof(want), i);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, got, sizeof(got) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n < 0 || (size_t)n != strlen(want) || memcmp(got, want, (size_t)n) != 0)
			bad++;
	}
	return bad;
}

static int cancel_after;
static const struct cairn_error *cancel_cb(void *arg)
{
	(void)arg;
	return --cancel_after < 0 ? err_new(CAIRN_ERR_CANCELLED, "interrupted") : NULL;
}

static void run_with(const char *type, int jobs, bool expect_links)
{
	struct place_queue *q;
	struct repo *r;
	struct work w;
	struct stat a, b;
	uint64_t placed;
	char *obj;

	sh("rm -rf out && mkdir -p out/a out/b/c");
	if (!ok_noerr(repo_open(&r), "open the repository"))
		return;
	if (!ok_noerr(work_open(&w, r), "open the work")) {
		repo_close(r);
		return;
	}
	link_parse(&w.types, type);
	w.digest.jobs = jobs;
	q = queue();
	ok_noerr(place_run(&placed, q, &w, NULL, NULL), "place them");
	is_int(placed, NFILES, "every file placed");
	is_int(check_all(), 0, "every file whole at its place");
	obj = cache_path(w.cache, &ids[0]);
	ok(stat("out/a/f000", &a) == 0 && stat(obj, &b) == 0 &&
		   (a.st_ino == b.st_ino) == expect_links,
	   "links or copies as cache.type says");
	free(obj);
	place_free(q);
	work_close(&w);
	repo_close(r);
}

static void test_place__copies_and_links(void)
{
	run_with("copy", 1, false);
	run_with("copy", 4, false);
	run_with("hardlink,copy", 2, true);
	run_with("reflink,copy", 2, false);
}

static void test_place__failures(void)
{
	struct place_queue *q;
	struct repo *r;
	struct work w;
	struct oid absent;
	uint64_t placed;

	if (!ok_noerr(repo_open(&r), "open the repository") ||
	    !ok_noerr(work_open(&w, r), "open the work"))
		return;
	link_parse(&w.types, "copy");
	sh("rm -rf out && mkdir -p out/a out/b/c");
	q = queue();
	hash_buf(&absent, "never stored", 12);
	place_add(q, "out", "ghost", &absent, 12, false);
	is_err(place_run(&placed, q, &w, NULL, NULL), CAIRN_ERR_NOT_FOUND, "a missing object");
	ok(access("out/ghost", F_OK) != 0, "nothing at its place");
	place_free(q);

	sh("rm -rf out && mkdir -p out/a");
	q = queue();
	ok(place_run(&placed, q, &w, NULL, NULL) != NULL, "a missing folder is an error");
	ok(placed < NFILES, "and stops the run");
	place_free(q);

	sh("rm -rf out && mkdir -p out/a out/b/c");
	q = queue();
	cancel_after = 30;
	w.digest.jobs = 1;
	w.digest.cancel = cancel_cb;
	is_err(place_run(&placed, q, &w, NULL, NULL), CAIRN_ERR_CANCELLED, "a cancel stops it");
	ok(placed > 0 && placed < NFILES, "part way");
	place_free(q);
	work_close(&w);
	repo_close(r);
}

int main(void)
{
	struct cache *c;
	char cdir[4200], buf[64];
	int i;

	dir = tap_tmpdir();
	sh("git init -q . && mkdir -p .cairn/tmp");
	snprintf(cdir, sizeof(cdir), "%s/.cairn/cache", dir);
	if (cache_open(&c, cdir) != NULL)
		bail("cache_open");
	for (i = 0; i < NFILES; i++) {
		content(buf, sizeof(buf), i);
		if (cache_insert_buf(&ids[i], c, buf, strlen(buf)) != NULL)
			bail("insert");
	}
	if (cache_flush(c) != NULL)
		bail("flush");
	cache_close(c);
	if (chdir(dir) < 0)
		bail("chdir");
	TAP_RUN(test_place__copies_and_links);
	TAP_RUN(test_place__failures);
	if (chdir("/") < 0)
		bail("chdir");
	tap_rmtree(dir);
	return tap_done();
}
