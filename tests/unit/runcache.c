/*
 * tests/unit/runcache.c: run cache keys (stable, and different for any
 * input that matters), entries saved and found, entries whose objects left
 * the cache or that are damaged count as misses; valdiff rows.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/lockfile.h"
#include "core/runcache.h"
#include "core/stage.h"
#include "core/valdiff.h"
#include "tests/unit/tap.h"

static struct pipeline p;
static struct lockfile_stage cur;

static void setup(void)
{
	const char *y = "stages:\n  s:\n    cmd: make it\n    outs: [o]\n";

	if (pipeline_parse(&p, y, strlen(y), "cairn.yaml", NULL) != NULL)
		bail("parse");
	memset(&cur, 0, sizeof(cur));
	cur.name = strdup("s");
	cur.cmd = calloc(1, sizeof(char *));
	cur.cmd[cur.ncmd++] = strdup("make it");
	cur.params = json_pack("{s:{s:i}}", "params.yaml", "n", 3);
	cur.deps = calloc(1, sizeof(*cur.deps));
	cur.deps[0].path = strdup("in");
	cur.ndeps = 1;
}

static void test_runcache__key(void)
{
	struct oid a, b;

	runcache_key(&a, &p.v[0], &cur);
	runcache_key(&b, &p.v[0], &cur);
	ok(oid_equal(&a, &b), "the same run has the same key");
	json_object_set_new(json_object_get(cur.params, "params.yaml"), "n", json_integer(4));
	runcache_key(&b, &p.v[0], &cur);
	ok(!oid_equal(&a, &b), "a param value changes the key");
	json_object_set_new(json_object_get(cur.params, "params.yaml"), "n", json_integer(3));
	cur.deps[0].id.b[0] ^= 1;
	runcache_key(&b, &p.v[0], &cur);
	ok(!oid_equal(&a, &b), "a dependency id changes the key");
	cur.deps[0].id.b[0] ^= 1;
	cur.image = strdup("x@sha256:00");
	runcache_key(&b, &p.v[0], &cur);
	ok(!oid_equal(&a, &b), "an image digest changes the key");
	free(cur.image);
	cur.image = NULL;
}

static void test_runcache__save_lookup(void)
{
	char *dir = tap_tmpdir(), *path;
	struct cache *c;
	struct oid id;
	bool hit = true;

	if (cache_open(&c, dir) != NULL)
		bail("cache");
	ok_noerr(runcache_lookup(&hit, c, &p.v[0], &cur, NULL), "lookup of nothing");
	ok(!hit, "a miss");
	cache_insert_buf(&id, c, "out\n", 4);
	cache_flush(c);
	cur.outs = calloc(1, sizeof(*cur.outs));
	cur.outs[0].path = strdup("o");
	cur.outs[0].id = id;
	cur.outs[0].size = 4;
	cur.nouts = 1;
	ok_noerr(runcache_save(c, &p.v[0], &cur), "save");
	free(cur.outs[0].path);
	free(cur.outs);
	cur.outs = NULL;
	cur.nouts = 0;
	ok_noerr(runcache_lookup(&hit, c, &p.v[0], &cur, NULL), "lookup");
	ok(hit && cur.nouts == 1 && oid_equal(&cur.outs[0].id, &id), "a hit with the outputs");
	/* the object leaves the cache: a miss */
	path = cache_path(c, &id);
	chmod(path, 0644);
	unlink(path);
	free(path);
	ok_noerr(runcache_lookup(&hit, c, &p.v[0], &cur, NULL), "lookup again");
	ok(!hit && cur.nouts == 0, "an entry whose objects are gone is a miss");
	/* a damaged entry is a miss, not an error */
	path = malloc(strlen(dir) + 64);
	sprintf(path, "%s/runs", dir);
	{
		char cmd[4096];

		snprintf(cmd, sizeof(cmd), "for f in $(find '%s' -type f); do chmod u+w $f; echo '{' >$f; done", path);
		if (system(cmd) != 0)
			diag("could not damage");
	}
	ok_noerr(runcache_lookup(&hit, c, &p.v[0], &cur, NULL), "a damaged entry");
	ok(!hit, "is a miss");
	free(path);
	cache_close(c);
	tap_rmtree(dir);
}

static void test_valdiff__rows(void)
{
	json_t *a = json_pack("{s:{s:i,s:s}}", "p.yaml", "x", 1, "y", "a");
	json_t *b = json_pack("{s:{s:i,s:s}, s:{s:b}}", "p.yaml", "x", 2, "y", "a", "q.json", "z", 1);
	json_t *rows = valdiff_diff(a, b, false), *all = valdiff_diff(a, b, true);

	is_int(json_array_size(rows), 2, "two differences");
	is_str(json_string_value(json_object_get(json_array_get(rows, 0), "file")), "p.yaml",
	       "sorted by file");
	ok(json_object_get(json_array_get(rows, 1), "old") == NULL, "a key only on one side");
	is_int(json_array_size(all), 3, "all keys with --all");
	json_decref(rows);
	json_decref(all);
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	setup();
	TAP_RUN(test_runcache__key);
	TAP_RUN(test_runcache__save_lookup);
	TAP_RUN(test_valdiff__rows);
	lockfile_stage_release(&cur);
	pipeline_release(&p);
	return tap_done();
}
