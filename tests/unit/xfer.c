/*
 * tests/unit/xfer.c: the push order of DESIGN 7 (file objects first, then
 * manifests leaves first, each only after everything beneath it), a push
 * of data already there sending nothing, a missing object keeping every
 * manifest above it off the remote, and fetch into an empty cache with
 * missing objects named by path. The remote is the local backend wrapped
 * so every put is recorded in order.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/hash.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/tree.h"
#include "core/xmalloc.h"
#include "remotes/local.h"
#include "remotes/remote.h"
#include "remotes/xfer.h"
#include "tests/unit/tap.h"

static char *dir;

/* ---- a recording remote over the local backend ---- */

static struct oid sent[64];
static size_t nsent;
static struct remote_ops rec_ops;
static const struct remote_ops *real_ops;

static const struct cairn_error *rec_put(struct remote *r, struct cache *c,
					 struct remote_item *items, size_t n,
					 const struct remote_batch *b)
{
	const struct cairn_error *e;
	size_t i;

	r->ops = real_ops;
	e = real_ops->put(r, c, items, n, b);
	r->ops = &rec_ops;
	for (i = 0; i < n; i++)
		if (items[i].state == REMOTE_DONE && nsent < 64)
			sent[nsent++] = items[i].id;
	return e;
}

static struct remote *open_rec(const char *name)
{
	struct remote *r;
	char *store = fs_join(dir, name);

	if (local_remote_open(&r, name, store, NULL, NULL))
		bail("open");
	free(store);
	real_ops = r->ops;
	rec_ops = *r->ops;
	rec_ops.put = rec_put;
	r->ops = &rec_ops;
	r->jobs = 2;
	return r;
}

static void close_rec(struct remote *r)
{
	r->ops = real_ops;
	remote_close(r);
}

static long sent_at(const struct oid *id)
{
	size_t i;

	for (i = 0; i < nsent; i++)
		if (oid_equal(&sent[i], id))
			return (long)i;
	return -1;
}

/* ---- a tracked folder d/{a, s/b, s/t/c} in a cache ---- */

static struct oid id_a, id_b, id_c, root, id_s, id_tt;

static void file(struct tree *t, const char *name, struct oid *id, struct cache *c)
{
	struct tree_entry *e = tree_add(t, name, TREE_FILE);

	if (cache_insert_buf(id, c, name, strlen(name)))
		bail("insert");
	e->id = *id;
	e->known = true;
	e->size = strlen(name);
}

static struct tree *subdir(struct tree *t, const char *name)
{
	struct tree_entry *e = tree_add(t, name, TREE_DIR);

	e->sub = tree_new();
	return e->sub;
}

static void make_tree(struct cache *c)
{
	struct tree *t = tree_new(), *s, *tt;
	uint64_t size, nfiles;

	file(t, "a", &id_a, c);
	s = subdir(t, "s");
	file(s, "b", &id_b, c);
	tt = subdir(s, "t");
	file(tt, "c", &id_c, c);
	tree_sort(t);
	if (tree_seal(&root, &size, &nfiles, t, c) || cache_flush(c))
		bail("seal");
	id_s = tree_find(t, "s")->id;
	id_tt = tree_find(tree_find(t, "s")->sub, "t")->id;
	tree_free(t);
}

static void one_output(struct out_list *l)
{
	memset(l, 0, sizeof(*l));
	l->v = xcalloc(1, sizeof(*l->v));
	l->n = l->cap = 1;
	l->v[0].ptr_rel = xstrdup("d.cairn");
	l->v[0].rel = xstrdup("d");
	l->v[0].dir = xstrdup("");
	l->v[0].name = l->v[0].rel;
	l->v[0].ptr = ptr_new("d", PTR_DIR);
	l->v[0].ptr->id = root;
}

static void test_xfer__push_order(void)
{
	struct xfer_opts o = { 0 };
	struct xfer_result res;
	struct out_list l;
	struct cache *c;
	struct remote *r = open_rec("store1");
	char *cd = fs_join(dir, "cache1");

	if (cache_open(&c, cd))
		bail("cache");
	make_tree(c);
	one_output(&l);
	nsent = 0;
	ok_noerr(xfer_push(&res, r, c, &l, &o), "push a folder");
	is_int(nsent, 6, "three files and three manifests were sent");
	is_int(res.needed, 6, "six objects needed");
	ok(sent_at(&id_a) < 3 && sent_at(&id_b) < 3 && sent_at(&id_c) < 3 && sent_at(&id_a) >= 0,
	   "file objects first");
	ok(sent_at(&id_tt) == 3 && sent_at(&id_s) == 4 && sent_at(&root) == 5,
	   "then manifests, leaves first, the root last");
	is_int(res.nmissing, 0, "nothing missing");
	xfer_result_release(&res);
	nsent = 0;
	ok_noerr(xfer_push(&res, r, c, &l, &o), "push again");
	is_int(nsent, 0, "... sends nothing");
	is_int(res.present, 6, "... all six are there");
	xfer_result_release(&res);
	out_list_release(&l);
	cache_close(c);
	close_rec(r);
	free(cd);
}

static void test_xfer__push_missing_keeps_manifests(void)
{
	struct xfer_opts o = { 0 };
	struct xfer_result res;
	struct out_list l;
	struct cache *c;
	struct remote *r = open_rec("store2");
	char *cd = fs_join(dir, "cache2"), *p;

	if (cache_open(&c, cd))
		bail("cache");
	make_tree(c);
	p = cache_path(c, &id_c);
	unlink(p);
	free(p);
	one_output(&l);
	nsent = 0;
	ok_noerr(xfer_push(&res, r, c, &l, &o), "push with d/s/t/c missing from the cache");
	is_int(res.nmissing, 1, "one object missing");
	ok(res.nmissing == 1 && strcmp(res.missing[0].path, "d/s/t/c") == 0, "... named by its path");
	ok(sent_at(&id_a) >= 0 && sent_at(&id_b) >= 0, "the other files were sent");
	ok(sent_at(&id_tt) < 0 && sent_at(&id_s) < 0 && sent_at(&root) < 0,
	   "no manifest above the missing object was sent");
	xfer_result_release(&res);
	out_list_release(&l);
	cache_close(c);
	close_rec(r);
	free(cd);
}

static void test_xfer__fetch(void)
{
	struct xfer_opts o = { 0 };
	struct xfer_result res;
	struct out_list l;
	struct cache *c, *empty;
	struct remote *r = open_rec("store3");
	char *cd = fs_join(dir, "cache3"), *ed = fs_join(dir, "empty3"), *k, *f;

	if (cache_open(&c, cd) || cache_open(&empty, ed))
		bail("cache");
	make_tree(c);
	one_output(&l);
	if (xfer_push(&res, r, c, &l, &o))
		bail("push");
	xfer_result_release(&res);
	ok_noerr(xfer_fetch(&res, r, empty, &l, &o), "fetch into an empty cache");
	ok(res.outs[0].complete && res.nmissing == 0, "the output is complete");
	ok(cache_has(empty, &id_c) && cache_has(empty, &id_tt), "deep objects came, level by level");
	xfer_result_release(&res);
	/* remove b from the remote and from the second cache */
	k = remote_object_key(&id_b);
	f = fs_join(dir, "store3");
	{
		char *full = fs_join(f, k);

		unlink(full);
		free(full);
	}
	free(k);
	free(f);
	f = cache_path(empty, &id_b);
	unlink(f);
	free(f);
	ok_noerr(xfer_fetch(&res, r, empty, &l, &o), "fetch with an object missing on the remote");
	ok(!res.outs[0].complete, "the output is not complete");
	ok(res.nmissing == 1 && strcmp(res.missing[0].path, "d/s/b") == 0, "... d/s/b is named");
	xfer_result_release(&res);
	ok_noerr(xfer_status(&res, r, empty, &l, &o), "status");
	ok(res.outs[0].nowhere == 1 && res.outs[0].both == 5, "one nowhere, five in both places");
	xfer_result_release(&res);
	out_list_release(&l);
	cache_close(c);
	cache_close(empty);
	close_rec(r);
	free(cd);
	free(ed);
}

int main(void)
{
	gitutil_init();
	dir = tap_tmpdir();
	TAP_RUN(test_xfer__push_order);
	TAP_RUN(test_xfer__push_missing_keeps_manifests);
	TAP_RUN(test_xfer__fetch);
	tap_rmtree(dir);
	return tap_done();
}
