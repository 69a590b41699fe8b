/*
 * tests/unit/gc.c: gc.grace durations, and the sweep: kept objects stay,
 * old unreferenced ones go in id order, young ones and fresh temp files
 * stay, a dry run removes nothing.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/gc.h"
#include "core/gcroots.h"
#include "tests/unit/tap.h"

static char *dir;
static struct cache *cache;

static void test_gc__parse_grace(void)
{
	int64_t ns;

	ok(gc_parse_grace(&ns, "0") == NULL && ns == 0, "0");
	ok(gc_parse_grace(&ns, "90") == NULL && ns == 90000000000LL, "plain seconds");
	ok(gc_parse_grace(&ns, "90s") == NULL && ns == 90000000000LL, "s");
	ok(gc_parse_grace(&ns, "30m") == NULL && ns == 1800000000000LL, "m");
	ok(gc_parse_grace(&ns, "1h") == NULL && ns == 3600000000000LL, "h");
	ok(gc_parse_grace(&ns, "2d") == NULL && ns == 172800000000000LL, "d");
	is_err(gc_parse_grace(&ns, ""), CAIRN_ERR_FORMAT, "empty");
	is_err(gc_parse_grace(&ns, "soon"), CAIRN_ERR_FORMAT, "words");
	is_err(gc_parse_grace(&ns, "-1h"), CAIRN_ERR_FORMAT, "negative");
	is_err(gc_parse_grace(&ns, "1y"), CAIRN_ERR_FORMAT, "unknown unit");
	is_err(gc_parse_grace(&ns, "1hh"), CAIRN_ERR_FORMAT, "trailing text");
	is_err(gc_parse_grace(&ns, "99999999999999999d"), CAIRN_ERR_FORMAT, "too long");
}

static void put_old(struct oid *id, const char *s, int age_s)
{
	struct timespec ts[2];
	char *p;

	if (cache_insert_buf(id, cache, s, strlen(s)) != NULL || cache_flush(cache) != NULL)
		bail("insert");
	p = cache_path(cache, id);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= age_s;
	ts[1] = ts[0];
	if (utimensat(AT_FDCWD, p, ts, 0) < 0)
		bail("utimensat");
	free(p);
}

struct seen {
	char order[8][65];
	int n, temps;
};

static void on_remove(const struct oid *id, const char *temp, uint64_t size, void *arg)
{
	struct seen *s = arg;

	(void)size;
	if (id && s->n < 8)
		oid_tohex(s->order[s->n++], id);
	if (temp)
		s->temps++;
}

static void test_gc__sweep(void)
{
	struct oid keep, old1, old2, young;
	struct gcroots *g = gcroots_new(cache);
	struct gc_opts o;
	struct gc_result res;
	struct seen seen;
	char tmp[4200];
	int fd;

	put_old(&keep, "kept", 7200);
	put_old(&old1, "old one", 7200);
	put_old(&old2, "old two", 7200);
	put_old(&young, "young", 60);
	snprintf(tmp, sizeof(tmp), "%s/cache/tmp/obj-fresh", dir);
	fd = open(tmp, O_CREAT | O_WRONLY, 0644);
	close(fd);
	gcroots_scope(g, "test");
	gcroots_add_object(g, &keep);

	memset(&o, 0, sizeof(o));
	memset(&seen, 0, sizeof(seen));
	o.grace_ns = 3600LL * 1000000000LL;
	o.dry_run = true;
	o.on_remove = on_remove;
	o.arg = &seen;
	ok_noerr(gc_sweep(&res, cache, g, &o), "dry run");
	is_int(res.removed, 2, "two would go");
	ok(cache_has(cache, &old1) && cache_has(cache, &old2), "but nothing went");
	is_int(res.kept, 1, "one kept");
	is_int(res.young, 1, "one young");
	ok(seen.n == 2 && strcmp(seen.order[0], seen.order[1]) < 0, "reported in id order");

	memset(&seen, 0, sizeof(seen));
	o.dry_run = false;
	ok_noerr(gc_sweep(&res, cache, g, &o), "sweep");
	ok(!cache_has(cache, &old1) && !cache_has(cache, &old2), "old unreferenced objects went");
	ok(cache_has(cache, &keep), "the kept object stayed");
	ok(cache_has(cache, &young), "the young one stayed");
	ok(access(tmp, F_OK) == 0 && seen.temps == 0, "a fresh temp file stayed");
	is_int(res.removed_bytes, 14, "bytes freed are counted");

	o.grace_ns = 0;
	ok_noerr(gc_sweep(&res, cache, g, &o), "sweep with no grace");
	ok(!cache_has(cache, &young), "the young one goes too");
	ok(access(tmp, F_OK) < 0 && seen.temps == 1, "and the temp file");
	ok(cache_has(cache, &keep), "the kept object still stays");
	gcroots_free(g);
}

int main(void)
{
	char cdir[4200];

	dir = tap_tmpdir();
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	if (cache_open(&cache, cdir) != NULL)
		bail("cache_open");
	TAP_RUN(test_gc__parse_grace);
	TAP_RUN(test_gc__sweep);
	cache_close(cache);
	tap_rmtree(dir);
	return tap_done();
}
