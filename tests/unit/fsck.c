/*
 * tests/unit/fsck.c: the whole-cache check: a sound cache, a corrupt
 * object reported and (with repair) moved to the quarantine with its
 * bytes, the same on more threads, and the walk over roots: a missing
 * member, a manifest that does not parse, an output never fetched.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/fsck.h"
#include "core/hash.h"
#include "core/manifest.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

static char *dir;
static struct cache *cache;
static char qdir[4200];

struct seen {
	int n[3];
	char moved[4300];
	char path[256];
};

static void on_problem(enum fsck_problem kind, const struct oid *id, const char *path,
		       const char *msg, const char *moved_to, void *arg)
{
	struct seen *s = arg;

	(void)id;
	(void)msg;
	s->n[kind]++;
	snprintf(s->moved, sizeof(s->moved), "%s", moved_to ? moved_to : "");
	snprintf(s->path, sizeof(s->path), "%s", path);
}

static void put(struct oid *id, const char *s)
{
	if (cache_insert_buf(id, cache, s, strlen(s)) != NULL || cache_flush(cache) != NULL)
		bail("insert");
}

static void corrupt(const struct oid *id)
{
	char *p = cache_path(cache, id);
	int fd;

	chmod(p, 0644);
	fd = open(p, O_WRONLY);
	if (fd < 0 || write(fd, "X", 1) != 1)
		bail("corrupt");
	close(fd);
	free(p);
}

static struct fsck_result run(struct seen *s, bool repair, int jobs, const struct out_list *l)
{
	struct fsck_opts o;
	struct fsck_result r;

	memset(&o, 0, sizeof(o));
	memset(s, 0, sizeof(*s));
	o.repair = repair;
	o.jobs = jobs;
	o.on_problem = on_problem;
	o.arg = s;
	if (fsck_run(&r, cache, l, &o) != NULL)
		bail("fsck_run");
	return r;
}

static struct oid a, b;

static void test_fsck__objects(void)
{
	struct fsck_result r;
	struct seen s;
	char *q;

	put(&a, "alpha");
	put(&b, "bravo");
	r = run(&s, false, 0, NULL);
	ok(r.objects == 2 && r.bytes == 10 && r.corrupt == 0, "a sound cache");
	corrupt(&a);
	r = run(&s, false, 1, NULL);
	ok(r.corrupt == 1 && s.n[FSCK_CORRUPT] == 1 && s.moved[0] == '\0', "a flipped byte is found");
	ok(cache_has(cache, &a), "and left in place without repair");
	r = run(&s, false, 4, NULL);
	is_int(r.corrupt, 1, "the same on four threads");
	r = run(&s, true, 0, NULL);
	ok(r.corrupt == 1 && r.quarantined == 1, "repair moves it aside");
	ok(!cache_has(cache, &a), "out of the cache");
	q = xasprintf("%s/%s", qdir, oid_hex(&a));
	is_str(s.moved, q, "into the quarantine, under its name");
	ok(access(q, F_OK) == 0, "where it is kept, not deleted");
	free(q);
	r = run(&s, false, 0, NULL);
	ok(r.objects == 1 && r.corrupt == 0, "the cache is sound again");
}

static void test_fsck__roots(void)
{
	struct out_list l = OUT_LIST_INIT;
	struct manifest m = MANIFEST_INIT;
	struct buf buf = BUF_INIT;
	struct manifest_entry *e;
	struct fsck_result r;
	struct seen s;
	struct oid root, gone, bad;

	hash_buf(&gone, "gone", 4);
	e = manifest_add(&m, "present", MANIFEST_FILE);
	e->id = b;
	e->size = 5;
	e = manifest_add(&m, "absent", MANIFEST_FILE);
	e->id = gone;
	e->size = 4;
	manifest_sort(&m);
	buf_init(&buf);
	manifest_format(&buf, &m);
	if (cache_insert_buf(&root, cache, buf.s, buf.len) || cache_flush(cache))
		bail("insert");
	put(&bad, "[1,2,3]");
	l.v = xcalloc(3, sizeof(*l.v));
	l.n = l.cap = 3;
	l.v[0].rel = xstrdup("data");
	l.v[0].ptr = ptr_new("data", PTR_DIR);
	l.v[0].ptr->id = root;
	l.v[1].rel = xstrdup("broken");
	l.v[1].ptr = ptr_new("broken", PTR_DIR);
	l.v[1].ptr->id = bad;
	l.v[2].rel = xstrdup("never-fetched");
	l.v[2].ptr = ptr_new("never-fetched", PTR_FILE);
	l.v[2].ptr->id = gone;
	r = run(&s, false, 0, &l);
	ok(r.missing == 1 && s.n[FSCK_MISSING] == 1, "a missing member is found");
	ok(r.bad_manifests == 1 && s.n[FSCK_BAD_MANIFEST] == 1, "a manifest that does not parse");
	is_int(r.absent_roots, 1, "an output never fetched is counted, not reported");
	is_int(r.corrupt, 0, "nothing corrupt");
	out_list_release(&l);
	manifest_release(&m);
	buf_release(&buf);
}

int main(void)
{
	char cdir[4200];

	dir = tap_tmpdir();
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	snprintf(qdir, sizeof(qdir), "%s/quarantine", dir);
	if (cache_open(&cache, cdir) != NULL)
		bail("cache_open");
	cache_set_quarantine(cache, qdir);
	TAP_RUN(test_fsck__objects);
	TAP_RUN(test_fsck__roots);
	cache_close(cache);
	tap_rmtree(dir);
	return tap_done();
}
