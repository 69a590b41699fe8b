/*
 * tests/unit/gcroots.c: the keep set: objects and whole Merkle trees,
 * counted per scope; absent roots, missing members and corrupt or
 * unparseable manifests reported; and the cache walk (core/cachewalk)
 * that lists objects and temp files and skips what is not an object.
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
#include "core/cachewalk.h"
#include "core/gcroots.h"
#include "core/hash.h"
#include "core/manifest.h"
#include "core/ptr.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

static char *dir;
static struct cache *cache;

static void put(struct oid *id, const char *s)
{
	if (cache_insert_buf(id, cache, s, strlen(s)) != NULL || cache_flush(cache) != NULL)
		bail("insert failed");
}

/* A manifest of files (names[i] -> ids[i]) and one optional subfolder. */
static void put_manifest(struct oid *id, const char **names, const struct oid *ids, int n,
			 const char *subname, const struct oid *sub)
{
	struct manifest m = MANIFEST_INIT;
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < n; i++) {
		struct manifest_entry *e = manifest_add(&m, names[i], MANIFEST_FILE);

		e->id = ids[i];
		e->size = 1;
	}
	if (subname) {
		struct manifest_entry *e = manifest_add(&m, subname, MANIFEST_DIR);

		e->id = *sub;
		e->size = 1;
		e->nfiles = 1;
	}
	manifest_sort(&m);
	buf_init(&b);
	manifest_format(&b, &m);
	if (cache_insert_buf(id, cache, b.s, b.len) != NULL || cache_flush(cache) != NULL)
		bail("insert failed");
	buf_release(&b);
	manifest_release(&m);
}

struct problems {
	int n[3];
	char last_path[256];
};

static void on_problem(enum gcroots_problem kind, const struct oid *id, const char *path,
		       const char *msg, void *arg)
{
	struct problems *p = arg;

	(void)id;
	(void)msg;
	p->n[kind]++;
	snprintf(p->last_path, sizeof(p->last_path), "%s", path);
}

static struct oid f1, f2, f3, sub, root, loose;

static void setup(void)
{
	const char *n1[] = { "a", "b" }, *n2[] = { "c" };
	struct oid ids[2];

	put(&f1, "one");
	put(&f2, "two");
	put(&f3, "three");
	put(&loose, "loose");
	ids[0] = f3;
	put_manifest(&sub, n2, ids, 1, NULL, NULL);
	ids[0] = f1;
	ids[1] = f2;
	put_manifest(&root, n1, ids, 2, "sub", &sub);
}

static void test_gcroots__tree(void)
{
	struct gcroots *g = gcroots_new(cache);
	const struct gcroots_scope *sc;
	struct ptr *p = ptr_new("data", PTR_DIR);
	size_t n;

	p->id = root;
	gcroots_scope(g, "workspace");
	gcroots_add_ptr(g, p, "data");
	ok(gcroots_has(g, &root) && gcroots_has(g, &sub), "every manifest of the tree is kept");
	ok(gcroots_has(g, &f1) && gcroots_has(g, &f2) && gcroots_has(g, &f3),
	   "every file of the tree is kept");
	ok(!gcroots_has(g, &loose), "an object nothing names is not kept");
	sc = gcroots_scopes(g, &n);
	is_int(n, 1, "one scope");
	is_str(sc[0].name, "workspace", "named as started");
	is_int(sc[0].roots, 1, "one root");
	is_int(sc[0].objects, 5, "five objects");
	gcroots_scope(g, "HEAD");
	gcroots_add_ptr(g, p, "data");
	gcroots_add_object(g, &loose);
	sc = gcroots_scopes(g, &n);
	is_int(n, 2, "a second scope");
	is_int(sc[1].objects, 1, "it counts only objects new to the set");
	is_int(gcroots_set(g)->n, 6, "the set holds six objects");
	ptr_free(p);
	gcroots_free(g);
}

static void test_gcroots__problems(void)
{
	struct gcroots *g = gcroots_new(cache);
	struct problems pr;
	struct oid absent, gone, bad;
	const char *nm[] = { "x" };
	char *path;
	int fd;

	memset(&pr, 0, sizeof(pr));
	gcroots_on_problem(g, on_problem, &pr);
	hash_buf(&absent, "never stored", 12);
	gcroots_add_tree(g, &absent, "fresh-clone");
	is_int(pr.n[GCROOTS_ABSENT], 1, "a root manifest not in the cache is absent");
	ok(gcroots_has(g, &absent), "it is still kept");

	hash_buf(&gone, "member gone", 11);
	put_manifest(&bad, nm, &gone, 1, NULL, NULL);
	gcroots_add_tree(g, &bad, "partial");
	is_int(pr.n[GCROOTS_MISSING], 1, "a member not in the cache is missing");
	is_str(pr.last_path, "partial/x", "named by its path");

	put(&bad, "{not json");
	gcroots_add_tree(g, &bad, "garbled");
	is_int(pr.n[GCROOTS_CORRUPT], 1, "a manifest that does not parse is corrupt");

	path = cache_path(cache, &f1);
	chmod(path, 0644);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, "{\"entries\":[],\"version\":1}", 26) != 26)
		bail("write");
	close(fd);
	gcroots_add_tree(g, &f1, "tampered");
	is_int(pr.n[GCROOTS_CORRUPT], 2, "a manifest that does not hash to its name is corrupt");
	is_int(gcroots_problems(g, GCROOTS_CORRUPT), 2, "counted over the scopes");
	unlink(path);
	free(path);
	put(&f1, "one");
	gcroots_free(g);

	g = gcroots_new(cache);
	gcroots_add_tree(g, &bad, "garbled");
	hash_buf(&gone, "other", 5);
	gcroots_add_object(g, &gone);
	is_int(gcroots_problems(g, GCROOTS_CORRUPT), 1, "without a callback corrupt still counts");
	is_int(gcroots_problems(g, GCROOTS_MISSING), 0, "missing objects are not looked for");
	gcroots_free(g);
}

static int nobj, ntemp;

static const struct cairn_error *count_obj(const struct oid *id, const struct stat *st, void *a)
{
	(void)id;
	(void)st;
	(void)a;
	nobj++;
	return NULL;
}

static const struct cairn_error *count_temp(const char *name, const struct stat *st, void *a)
{
	(void)st;
	(void)a;
	if (strcmp(name, "obj-stale") == 0)
		ntemp++;
	return NULL;
}

static void test_cachewalk__objects_and_temps(void)
{
	char p[4200];
	int fd;

	snprintf(p, sizeof(p), "%s/cache/sha256/README", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	close(fd);
	snprintf(p, sizeof(p), "%s/cache/sha256/ab", dir);
	mkdir(p, 0777);
	snprintf(p, sizeof(p), "%s/cache/sha256/ab/short", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	close(fd);
	snprintf(p, sizeof(p), "%s/cache/tmp/obj-stale", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	close(fd);
	nobj = ntemp = 0;
	ok_noerr(cachewalk_objects(cache, count_obj, NULL), "walk the objects");
	is_int(nobj, 8, "every object, and nothing else");
	ok_noerr(cachewalk_temps(cache, count_temp, NULL), "walk the temp files");
	is_int(ntemp, 1, "the temp file is seen");
	ok_noerr(cachewalk_remove_temp(cache, "obj-stale"), "remove it");
	ok_noerr(cachewalk_remove_temp(cache, "obj-stale"), "removing it again is fine");
	is_err(cachewalk_remove_temp(cache, "../x"), CAIRN_ERR_USAGE, "a path is refused");
	is_err(cachewalk_remove_temp(cache, "w1/../../x"), CAIRN_ERR_USAGE, "so is one through a temp folder");
	is_err(cachewalk_remove_temp(cache, "wx/obj"), CAIRN_ERR_USAGE, "and another folder");
	is_err(cachewalk_remove_temp(cache, "w1/"), CAIRN_ERR_USAGE, "and a folder alone");
	ok_noerr(cachewalk_remove_temp(cache, "w1/obj-1-1"), "a temp folder's file is a temp name");
	ok_noerr(cachewalk_remove_object(cache, &loose), "remove an object");
	ok(!cache_has(cache, &loose), "it is gone");
	nobj = 0;
	cachewalk_objects(cache, count_obj, NULL);
	is_int(nobj, 7, "one fewer");
}

static void test_gcroots__unread(void)
{
	struct gcroots *g = gcroots_new(cache);
	const struct gcroots_unread *u;
	const char *nm[] = { "x" };
	struct oid leaf, subm, top;
	char *path, *keep;
	size_t n;

	put(&leaf, "a leaf only the sub folder names");
	put_manifest(&subm, nm, &leaf, 1, NULL, NULL);
	put_manifest(&top, NULL, NULL, 0, "sub", &subm);
	path = cache_path(cache, &subm);
	keep = xasprintf("%s.away", path);
	if (rename(path, keep) != 0)
		bail("rename");
	gcroots_add_tree(g, &top, "data");
	gcroots_add_tree(g, &top, "again");
	u = gcroots_unread(g, &n);
	is_int(n, 1, "the sub folder's manifest is unread, listed once");
	ok(n == 1 && oid_equal(&u[0].id, &subm), "by its id");
	is_str(n == 1 ? u[0].path : "", "data/sub", "and the path it was met at");
	ok(!gcroots_has(g, &leaf), "what it names is not known yet");
	gcroots_walk_unread(g);
	u = gcroots_unread(g, &n);
	is_int(n, 1, "still unread while not in the cache");
	if (rename(keep, path) != 0)
		bail("rename back");
	gcroots_walk_unread(g);
	u = gcroots_unread(g, &n);
	is_int(n, 0, "walked once it is there");
	ok(gcroots_has(g, &leaf), "and what it names is kept");
	free(keep);
	free(path);
	gcroots_free(g);
}

int main(void)
{
	char cdir[4200];

	dir = tap_tmpdir();
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	if (cache_open(&cache, cdir) != NULL)
		bail("cache_open");
	setup();
	TAP_RUN(test_gcroots__tree);
	TAP_RUN(test_gcroots__problems);
	TAP_RUN(test_cachewalk__objects_and_temps);
	TAP_RUN(test_gcroots__unread);
	cache_close(cache);
	tap_rmtree(dir);
	return tap_done();
}
