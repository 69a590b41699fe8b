/*
 * tests/unit/tree.c: Merkle trees: sealed ids equal the hash of the
 * canonical manifests, sizes and counts add up, seal stores children before
 * loading them back, diff reports added / modified / deleted files (and
 * empty folders), and load refuses hostile trees: bad names, symlinks that
 * leave the tree (directly or through other symlinks), wrong totals, too
 * deep, missing or corrupt manifests.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/manifest.h"
#include "core/oid.h"
#include "core/tree.h"
#include "tests/unit/tap.h"

static char *dir;
static struct cache *cache;

static struct tree_entry *add_file(struct tree *t, const char *name, const char *content)
{
	struct tree_entry *e = tree_add(t, name, TREE_FILE);

	hash_buf(&e->id, content, strlen(content));
	e->size = strlen(content);
	e->known = true;
	return e;
}

static struct tree_entry *add_link(struct tree *t, const char *name, const char *target)
{
	struct tree_entry *e = tree_add(t, name, TREE_SYMLINK);

	e->target = strdup(target);
	return e;
}

static struct tree *add_dir(struct tree *t, const char *name)
{
	struct tree_entry *e = tree_add(t, name, TREE_DIR);

	e->sub = tree_new();
	return e->sub;
}

/* data/{b.csv, a.csv, latest -> a.csv, run.sh (exec), sub/{x}, empty/} */
static struct tree *sample(void)
{
	struct tree *t = tree_new(), *sub;

	add_file(t, "b.csv", "bb\n");
	add_file(t, "a.csv", "a\n");
	add_link(t, "latest", "a.csv");
	add_file(t, "run.sh", "#!/bin/sh\n")->exec = true;
	sub = add_dir(t, "sub");
	add_file(sub, "x", "xyz");
	add_dir(t, "empty");
	tree_sort(t);
	return t;
}

static void test_tree__seal(void)
{
	struct tree *t = sample();
	struct manifest m = MANIFEST_INIT;
	struct manifest_entry *me;
	struct buf b = BUF_INIT;
	struct oid root, sub_id, empty_id, want;
	uint64_t size, nfiles;

	ok_noerr(tree_seal(&root, &size, &nfiles, t, NULL), "seal without a cache");
	is_int(size, 3 + 2 + 10 + 3, "size: the sum of the files (symlinks count 0)");
	is_int(nfiles, 5, "nfiles: files and symlinks, folders not counted");
	/* the same ids by hand, from the format */
	buf_init(&b);
	hash_buf(&empty_id, "{\"entries\":[],\"version\":1}", 26);
	ok(oid_equal(&tree_find(t, "empty")->id, &empty_id), "an empty folder's id");
	me = manifest_add(&m, "x", MANIFEST_FILE);
	hash_buf(&me->id, "xyz", 3);
	me->size = 3;
	manifest_format(&b, &m);
	hash_buf(&sub_id, b.s, b.len);
	manifest_release(&m);
	ok(oid_equal(&tree_find(t, "sub")->id, &sub_id), "a sub-folder's id is its manifest's hash");
	buf_reset(&b);
	me = manifest_add(&m, "a.csv", MANIFEST_FILE);
	hash_buf(&me->id, "a\n", 2);
	me->size = 2;
	me = manifest_add(&m, "b.csv", MANIFEST_FILE);
	hash_buf(&me->id, "bb\n", 3);
	me->size = 3;
	me = manifest_add(&m, "empty", MANIFEST_DIR);
	me->id = empty_id;
	me = manifest_add(&m, "latest", MANIFEST_SYMLINK);
	me->target = strdup("a.csv");
	me = manifest_add(&m, "run.sh", MANIFEST_FILE);
	hash_buf(&me->id, "#!/bin/sh\n", 10);
	me->size = 10;
	me->exec = true;
	me = manifest_add(&m, "sub", MANIFEST_DIR);
	me->id = sub_id;
	me->size = 3;
	me->nfiles = 1;
	manifest_format(&b, &m);
	hash_buf(&want, b.s, b.len);
	ok(oid_equal(&root, &want), "the root id is the hash of the canonical root manifest");
	manifest_release(&m);
	buf_release(&b);
	tree_free(t);
}

static void test_tree__seal_stores_and_loads(void)
{
	struct tree *t = sample(), *back = NULL;
	struct oid root, root2;
	uint64_t size, nfiles;

	ok_noerr(tree_seal(&root, &size, &nfiles, t, cache), "seal into the cache");
	ok_noerr(cache_flush(cache), "flush");
	ok(cache_has(cache, &root) && cache_has(cache, &tree_find(t, "sub")->id),
	   "the root and sub-folder manifests are stored");
	ok_noerr(tree_load(&back, cache, &root), "load it back");
	if (back) {
		const struct tree_entry *l = tree_find(back, "latest"), *r = tree_find(back, "run.sh");

		ok(l && l->type == TREE_SYMLINK && strcmp(l->target, "a.csv") == 0, "the symlink");
		ok(r && r->exec, "the exec bit");
		ok(tree_find(back, "empty") && tree_find(back, "empty")->sub->n == 0,
		   "the empty folder");
		ok_noerr(tree_seal(&root2, &size, &nfiles, back, NULL), "seal the loaded tree");
		ok(oid_equal(&root, &root2), "to the same id");
	}
	tree_free(back);
	tree_free(t);
}

struct change {
	char path[256];
	enum tree_change ch;
};

struct changes {
	struct change v[32];
	int n;
};

static const struct cairn_error *collect(const char *path, enum tree_change ch,
					 const struct tree_entry *a, const struct tree_entry *b,
					 void *arg)
{
	struct changes *c = arg;

	(void)a;
	(void)b;
	if (c->n < 32) {
		snprintf(c->v[c->n].path, sizeof(c->v[c->n].path), "%s", path);
		c->v[c->n].ch = ch;
		c->n++;
	}
	return NULL;
}

static int has(const struct changes *c, const char *path, enum tree_change ch)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].path, path) == 0 && c->v[i].ch == ch)
			return 1;
	return 0;
}

static void test_tree__diff(void)
{
	struct tree *a = sample(), *b = sample(), *sub;
	struct changes c;
	struct tree_entry *e;
	struct oid root;
	uint64_t size, nfiles;

	memset(&c, 0, sizeof(c));
	ok_noerr(tree_diff(a, b, collect, &c), "diff equal trees");
	is_int(c.n, 0, "no change");
	/* b: a.csv modified, b.csv deleted, new.csv added, run.sh loses exec, latest retargeted,
	 * sub becomes a file, empty gets a file, a new empty folder */
	e = (struct tree_entry *)tree_find(b, "a.csv");
	hash_buf(&e->id, "A\n", 2);
	e = (struct tree_entry *)tree_find(b, "run.sh");
	e->exec = false;
	e = (struct tree_entry *)tree_find(b, "latest");
	free(e->target);
	e->target = strdup("b.csv");
	e = (struct tree_entry *)tree_find(b, "sub");
	tree_free(e->sub);
	e->sub = NULL;
	e->type = TREE_FILE;
	e->known = true;
	add_file((struct tree *)tree_find(b, "empty")->sub, "f", "f");
	e = (struct tree_entry *)tree_find(b, "b.csv");
	free(e->name);
	e->name = strdup("new.csv");
	sub = add_dir(b, "fresh");
	(void)sub;
	tree_sort(b);
	ok_noerr(tree_seal(&root, &size, &nfiles, a, NULL), "seal a (known folder ids)");
	memset(&c, 0, sizeof(c));
	ok_noerr(tree_diff(a, b, collect, &c), "diff");
	ok(has(&c, "a.csv", TREE_MODIFIED), "a modified file");
	ok(has(&c, "b.csv", TREE_DELETED), "a deleted file");
	ok(has(&c, "new.csv", TREE_ADDED), "an added file");
	ok(has(&c, "run.sh", TREE_MODIFIED), "a lost exec bit is a modification");
	ok(has(&c, "latest", TREE_MODIFIED), "a new symlink target is a modification");
	ok(has(&c, "sub/x", TREE_DELETED) && has(&c, "sub", TREE_ADDED),
	   "a folder replaced by a file: its files deleted, the file added");
	ok(has(&c, "empty/f", TREE_ADDED), "a file added in an empty folder");
	ok(has(&c, "fresh", TREE_ADDED), "a new empty folder is reported itself");
	is_int(c.n, 9, "nothing else");
	tree_free(a);
	tree_free(b);
}

/* Store a manifest given as JSON text; its id goes to *id. */
static void store(struct oid *id, const char *json)
{
	if (cache_insert_buf(id, cache, json, strlen(json)) != NULL || cache_flush(cache) != NULL)
		bail("store manifest");
}

static const char *hexof(const struct oid *id)
{
	return oid_hex(id);
}

static void test_tree__load_hostile(void)
{
	struct tree *t = NULL;
	struct oid empty, sub, root, file;
	const struct cairn_error *e;
	char json[2048];
	int i;

	store(&empty, "{\"entries\":[],\"version\":1}");
	hash_buf(&file, "x", 1);
	ok_noerr(tree_load(&t, cache, &empty), "an empty tree loads");
	tree_free(t);
	t = NULL;

#define LINK(n, tg) "{\"name\":\"" n "\",\"target\":\"" tg "\",\"type\":\"symlink\"}"
	{
		static const struct {
			const char *entries;
			const char *what;
		} bad[] = {
			{ LINK("l", "../x"), "a symlink climbing out" },
			{ LINK("l", "/etc/passwd"), "an absolute symlink" },
			{ LINK("l", ".git/config"), "a symlink into .git" },
			{ LINK("l", "") , "an empty target" },
			{ LINK("s", ".") "," LINK("t", "s/.."), "t -> s/.. with s -> ." },
			{ LINK("s", "a/../..") , "a/../.. from the top" },
			{ LINK("a", "b") "," LINK("b", "a"), "a symlink loop" },
			{ LINK("a", "b/../..") "," LINK("b", "."), "a -> b/../.. with b -> ." },
		};
		size_t k;

		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			snprintf(json, sizeof(json), "{\"entries\":[%s],\"version\":1}", bad[k].entries);
			store(&root, json);
			e = tree_load(&t, cache, &root);
			if (!ok(e && e->code == CAIRN_ERR_FORMAT && t == NULL, "refused: %s",
				bad[k].what))
				diag("got %s", e ? e->msg : "no error");
			tree_free(t);
			t = NULL;
		}
	}
	/* links that stay inside, through other links: d/up -> .. (the tree's top) */
	store(&sub, "{\"entries\":[" LINK("up", "..") "],\"version\":1}");
	snprintf(json, sizeof(json),
		 "{\"entries\":[{\"name\":\"d\",\"nfiles\":1,\"sha256\":\"%s\",\"size\":0,"
		 "\"type\":\"dir\"}," LINK("s", "d") "," LINK("t", "s/up/d") "],\"version\":1}",
		 hexof(&sub));
	store(&root, json);
	e = tree_load(&t, cache, &root);
	ok(e == NULL, "symlinks through symlinks that stay inside load");
	if (e)
		diag("%s", e->msg);
	tree_free(t);
	t = NULL;
	/* a symlink in a sub-folder pointing through a top-level link out of the tree */
	store(&sub, "{\"entries\":[" LINK("esc", "../top/..") "],\"version\":1}");
	snprintf(json, sizeof(json),
		 "{\"entries\":[{\"name\":\"d\",\"nfiles\":1,\"sha256\":\"%s\",\"size\":0,"
		 "\"type\":\"dir\"}," LINK("top", ".") "],\"version\":1}",
		 hexof(&sub));
	store(&root, json);
	e = tree_load(&t, cache, &root);
	ok(e && e->code == CAIRN_ERR_FORMAT, "d/esc -> ../top/.. with top -> . is refused");
	tree_free(t);
	t = NULL;

	/* declared totals must match */
	store(&sub, "{\"entries\":[{\"name\":\"x\",\"sha256\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\",\"size\":1,\"type\":\"file\"}],\"version\":1}");
	snprintf(json, sizeof(json),
		 "{\"entries\":[{\"name\":\"d\",\"nfiles\":1,\"sha256\":\"%s\",\"size\":5,"
		 "\"type\":\"dir\"}],\"version\":1}",
		 hexof(&sub));
	store(&root, json);
	is_err(tree_load(&t, cache, &root), CAIRN_ERR_FORMAT, "a folder declaring a wrong size");
	snprintf(json, sizeof(json),
		 "{\"entries\":[{\"name\":\"d\",\"nfiles\":7,\"sha256\":\"%s\",\"size\":1,"
		 "\"type\":\"dir\"}],\"version\":1}",
		 hexof(&sub));
	store(&root, json);
	is_err(tree_load(&t, cache, &root), CAIRN_ERR_FORMAT, "a folder declaring a wrong count");
	/* a name refused inside a sub-manifest */
	store(&sub, "{\"entries\":[{\"name\":\"..\",\"sha256\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\",\"size\":1,\"type\":\"file\"}],\"version\":1}");
	snprintf(json, sizeof(json),
		 "{\"entries\":[{\"name\":\"d\",\"nfiles\":1,\"sha256\":\"%s\",\"size\":1,"
		 "\"type\":\"dir\"}],\"version\":1}",
		 hexof(&sub));
	store(&root, json);
	is_err(tree_load(&t, cache, &root), CAIRN_ERR_FORMAT, "'..' in a sub-folder's manifest");
	/* a missing sub-manifest */
	snprintf(json, sizeof(json),
		 "{\"entries\":[{\"name\":\"d\",\"nfiles\":0,\"sha256\":\"%s\",\"size\":0,"
		 "\"type\":\"dir\"}],\"version\":1}",
		 hexof(&file));
	store(&root, json);
	e = tree_load(&t, cache, &root);
	ok(e && e->code == CAIRN_ERR_NOT_FOUND && strstr(e->msg, hexof(&file)),
	   "a missing sub-manifest is NOT_FOUND naming it");
	/* a folder that is its own manifest cannot be built (hash), but depth can */
	sub = empty;
	for (i = 0; i <= TREE_MAX_DEPTH + 1; i++) {
		snprintf(json, sizeof(json),
			 "{\"entries\":[{\"name\":\"d\",\"nfiles\":0,\"sha256\":\"%s\",\"size\":0,"
			 "\"type\":\"dir\"}],\"version\":1}",
			 hexof(&sub));
		store(&sub, json);
	}
	e = tree_load(&t, cache, &sub);
	ok(e && e->code == CAIRN_ERR_FORMAT && strstr(e->msg, "deeply"),
	   "folders nested deeper than TREE_MAX_DEPTH");
	tree_free(t);
}

/* Manifests that name one sub-manifest many times: 10^8 files from three small objects. */
static void test_tree__load_bomb(void)
{
	struct buf b = BUF_INIT;
	struct tree *t = NULL;
	struct oid level[3];
	const struct cairn_error *e;
	unsigned long long files = 100;
	int k, i;

	buf_init(&b);
	buf_adds(&b, "{\"entries\":[");
	for (i = 0; i < 100; i++)
		buf_addf(&b, "%s{\"name\":\"f%04d\",\"sha256\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\",\"size\":1,\"type\":\"file\"}",
			 i ? "," : "", i);
	buf_adds(&b, "],\"version\":1}");
	store(&level[0], b.s);
	for (k = 1; k < 3; k++) {
		buf_reset(&b);
		buf_adds(&b, "{\"entries\":[");
		for (i = 0; i < 1000; i++)
			buf_addf(&b, "%s{\"name\":\"d%04d\",\"nfiles\":%llu,\"sha256\":\"%s\",\"size\":%llu,\"type\":\"dir\"}",
				 i ? "," : "", i, files, hexof(&level[k - 1]), files);
		buf_adds(&b, "],\"version\":1}");
		store(&level[k], b.s);
		files *= 1000;
	}
	ok_noerr(tree_load(&t, cache, &level[1]), "100,000 files from two manifests load");
	tree_free(t);
	t = NULL;
	e = tree_load(&t, cache, &level[2]);
	ok(e && t == NULL && strstr(e->msg, "more than 20000000 entries"),
	   "10^8 are refused before they are built");
	buf_release(&b);
}

static void test_tree__load_corrupt(void)
{
	struct tree *t = NULL;
	struct oid id;
	char *p;
	FILE *f;

	store(&id, "{\"entries\":[],\"version\":1}");
	p = cache_path(cache, &id);
	chmod(p, 0644);
	f = fopen(p, "w");
	ok(f && fputs("{\"entries\":[],\"version\":2}", f) >= 0, "corrupt a manifest in the cache");
	if (f)
		fclose(f);
	is_err(tree_load(&t, cache, &id), CAIRN_ERR_CORRUPT,
	       "a manifest whose content does not match its name is CORRUPT");
	cache_quarantine(cache, &id, cache_verify(cache, &id));
	free(p);
}

int main(void)
{
	char path[4096];

	dir = tap_tmpdir();
	snprintf(path, sizeof(path), "%s/cache", dir);
	if (cache_open(&cache, path) != NULL)
		bail("cache_open");
	snprintf(path, sizeof(path), "%s/quarantine", dir);
	cache_set_quarantine(cache, path);
	TAP_RUN(test_tree__seal);
	TAP_RUN(test_tree__seal_stores_and_loads);
	TAP_RUN(test_tree__diff);
	TAP_RUN(test_tree__load_hostile);
	TAP_RUN(test_tree__load_bomb);
	TAP_RUN(test_tree__load_corrupt);
	cache_close(cache);
	tap_rmtree(dir);
	return tap_done();
}
