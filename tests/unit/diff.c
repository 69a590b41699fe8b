/*
 * tests/unit/diff.c: output trees (core/otree.h) and data diffs
 * (core/diff.h): lazy manifest loading that skips equal subtrees, path
 * filters, rename pairing (same name first, one to one, exec bit, many
 * identical files), type changes, nested and duplicate outputs, listings.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/diff.h"
#include "core/hash.h"
#include "core/otree.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/tree.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

static struct cache *cache;
static char *dir;

static void fid(struct oid *id, const char *content)
{
	hash_buf(id, content, strlen(content));
}

/* Add a file "name" holding content to t. */
static void add_file(struct tree *t, const char *name, const char *content, bool exec)
{
	struct tree_entry *te = tree_add(t, name, TREE_FILE);

	fid(&te->id, content);
	te->known = true;
	te->size = strlen(content);
	te->exec = exec;
}

static struct tree *add_dir(struct tree *t, const char *name)
{
	struct tree_entry *te = tree_add(t, name, TREE_DIR);

	te->sub = tree_new();
	return te->sub;
}

/* Seal t into the cache; the root manifest id goes to *id. */
static void store(struct oid *id, struct tree *t, uint64_t *size, uint64_t *nfiles)
{
	tree_sort(t);
	if (tree_seal(id, size, nfiles, t, cache) != NULL || cache_flush(cache) != NULL)
		bail("store a tree");
}

/* One output "name" (a folder whose tree is t) in l. */
static void out_dir(struct out_list *l, const char *rel, struct tree *t)
{
	struct out *o;
	struct ptr *p;
	uint64_t size, nfiles;

	XGROW(l->v, l->n + 1, l->cap);
	o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->rel = xstrdup(rel);
	o->ptr_rel = xasprintf("%s.cairn", rel);
	o->dir = strchr(rel, '/') ? xstrndup(rel, (size_t)(strrchr(rel, '/') - rel)) : xstrdup("");
	o->name = strrchr(o->rel, '/') ? strrchr(o->rel, '/') + 1 : o->rel;
	p = ptr_new(o->name, t ? PTR_DIR : PTR_FILE);
	if (t) {
		store(&p->id, t, &size, &nfiles);
		p->size = size;
		p->nfiles = nfiles;
		tree_free(t);
	} else {
		fid(&p->id, rel);
		p->size = strlen(rel);
	}
	o->ptr = p;
}

static char *render(const struct diff_result *d)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < d->n; i++) {
		if (d->v[i].change == DIFF_RENAMED)
			buf_addf(&b, "R %s>%s;", d->v[i].old_path, d->v[i].path);
		else
			buf_addf(&b, "%c %s;", diff_change_name(d->v[i].change)[0] - 32, d->v[i].path);
	}
	return buf_detach(&b);
}

/* Diff the outputs la and lb and render the result (or "error: ..."). */
static char *run_diff(const struct out_list *la, const struct out_list *lb, char **paths,
		      size_t npaths)
{
	const struct cairn_error *e;
	struct diff_result d;
	struct tree *ta, *tb;
	char *s;

	if (otree_from_outs(&ta, la, "a") != NULL || otree_from_outs(&tb, lb, "b") != NULL)
		bail("otree");
	e = diff_trees(&d, ta, tb, cache, paths, npaths);
	tree_free(ta);
	tree_free(tb);
	if (e)
		return xasprintf("error %d: %s", e->code, e->msg);
	s = render(&d);
	diff_result_release(&d);
	return s;
}

/* The data tree "v" used on both sides, with one file changed in b. */
static struct tree *big(bool changed)
{
	struct tree *t = tree_new(), *s, *deep;

	add_file(t, "top", "top", false);
	s = add_dir(t, "same");
	add_file(s, "x", "x", false);
	add_file(add_dir(s, "inner"), "y", "y", false);
	s = add_dir(t, "chg");
	deep = add_dir(s, "deep");
	add_file(deep, "f", changed ? "f2" : "f1", false);
	add_file(s, "keep", "keep", false);
	return t;
}

static void remove_object(const struct oid *id)
{
	char *p = cache_path(cache, id);

	if (unlink(p) != 0)
		bail("unlink %s", p);
	free(p);
}

static char filt_chg[] = "d/v/chg", filt_top[] = "d/v/top";

static void test_diff__lazy(void)
{
	char *filt[] = { filt_chg, filt_top };
	struct out_list la = OUT_LIST_INIT, lb = OUT_LIST_INIT;
	struct tree *ta, *loaded;
	struct tree_entry *same;
	char *s;

	out_dir(&la, "d/v", big(false));
	out_dir(&lb, "d/v", big(true));
	s = run_diff(&la, &lb, NULL, 0);
	is_str(s, "M d/v/chg/deep/f;", "one file changed, deep down");
	free(s);
	/* drop the unchanged subfolder's manifest: the diff must not need it */
	if (otree_from_outs(&ta, &la, "a") != NULL ||
	    tree_load_level(&loaded, cache, &tree_find(ta->e[0].sub, "v")->id) != NULL)
		bail("load");
	same = (struct tree_entry *)tree_find(loaded, "same");
	remove_object(&same->id);
	s = run_diff(&la, &lb, NULL, 0);
	is_str(s, "M d/v/chg/deep/f;", "an equal subtree's manifest is never read");
	free(s);
	s = run_diff(&la, &lb, filt, 1);
	is_str(s, "M d/v/chg/deep/f;", "a filter below the output");
	free(s);
	s = run_diff(&la, &la, NULL, 0);
	is_str(s, "", "equal outputs: nothing, nothing read");
	free(s);
	/* a deleted output needs every manifest below it */
	s = run_diff(&la, &(struct out_list)OUT_LIST_INIT, NULL, 0);
	ok(strncmp(s, "error 6: 'd/v/same'", 19) == 0 && strstr(s, "not in the cache"),
	   "a missing manifest names the path: %s", s);
	free(s);
	s = run_diff(&la, &(struct out_list)OUT_LIST_INIT, filt, 2);
	is_str(s, "D d/v/chg/deep/f;D d/v/chg/keep;D d/v/top;",
	       "filters keep the walk away from the missing manifest");
	free(s);
	tree_free(loaded);
	tree_free(ta);
	out_list_release(&la);
	out_list_release(&lb);
}

static void test_diff__renames(void)
{
	struct out_list la = OUT_LIST_INIT, lb = OUT_LIST_INIT;
	struct tree *a = tree_new(), *b = tree_new();
	char *s;

	/* three identical files become two, one of them under its own name */
	add_file(a, "p", "same", false);
	add_file(a, "q", "same", false);
	add_file(a, "r", "same", false);
	add_file(add_dir(b, "sub"), "q", "same", false);
	add_file(b, "z", "same", false);
	/* an exec bit change is no rename */
	add_file(a, "e1", "exe", false);
	add_file(b, "e2", "exe", true);
	/* a file turned folder */
	add_file(a, "t", "t", false);
	add_file(add_dir(b, "t"), "in", "t", false);
	out_dir(&la, "o", a);
	out_dir(&lb, "o", b);
	s = run_diff(&la, &lb, NULL, 0);
	is_str(s, "D o/e1;A o/e2;D o/r;R o/q>o/sub/q;R o/t>o/t/in;R o/p>o/z;",
	       "renames pair one to one, same name first, exec bit counts");
	free(s);
	out_list_release(&la);
	out_list_release(&lb);
}

static void test_diff__many_identical(void)
{
	struct out_list la = OUT_LIST_INIT, lb = OUT_LIST_INIT;
	struct tree *a = tree_new(), *b = tree_new();
	struct diff_result d;
	struct tree *ta, *tb;
	char name[32];
	size_t i, renamed = 0, deleted = 0;
	int k;

	for (k = 0; k < 3000; k++) {
		snprintf(name, sizeof(name), "a%05d", k);
		add_file(a, name, "", false);
		if (k < 2000) {
			snprintf(name, sizeof(name), "b%05d", k);
			add_file(b, name, "", false);
		}
	}
	out_dir(&la, "m", a);
	out_dir(&lb, "m", b);
	if (otree_from_outs(&ta, &la, "a") != NULL || otree_from_outs(&tb, &lb, "b") != NULL)
		bail("otree");
	ok_noerr(diff_trees(&d, ta, tb, cache, NULL, 0), "diff of 3000 identical empty files");
	for (i = 0; i < d.n; i++) {
		renamed += d.v[i].change == DIFF_RENAMED;
		deleted += d.v[i].change == DIFF_DELETED;
	}
	is_int(renamed, 2000, "every added file is a rename");
	is_int(deleted, 1000, "the rest are deleted");
	for (i = 0; i < d.n && strcmp(d.v[i].path, "m/b00000") != 0; i++)
		;
	is_str(i < d.n ? d.v[i].old_path : NULL, "m/a00000", "the first source by path goes first");
	diff_result_release(&d);
	tree_free(ta);
	tree_free(tb);
	out_list_release(&la);
	out_list_release(&lb);
}

static void test_otree__build(void)
{
	struct out_list l = OUT_LIST_INIT;
	struct tree *t;
	const struct cairn_error *e;

	out_dir(&l, "a/b/file1", NULL);
	out_dir(&l, "a/b/file2", NULL);
	out_dir(&l, "a/c", NULL);
	ok_noerr(otree_from_outs(&t, &l, "x"), "outputs in nested folders");
	is_int(t->n, 1, "one top folder");
	ok(!t->e[0].known && t->e[0].type == TREE_DIR, "a folder above outputs has no id");
	is_int(t->e[0].nfiles, 3, "it counts the files below");
	is_int(t->e[0].size, strlen("a/b/file1") + strlen("a/b/file2") + strlen("a/c"),
	       "and their bytes");
	tree_free(t);
	out_dir(&l, "a/c/inside", NULL);
	e = otree_from_outs(&t, &l, "rev");
	is_err(e, CAIRN_ERR_FORMAT, "an output inside another is refused");
	ok(e && strstr(e->msg, "'a/c/inside' is inside the tracked output 'a/c' in rev"),
	   "the message names both: %s", e ? e->msg : "");
	out_list_release(&l);
	out_dir(&l, "x", NULL);
	out_dir(&l, "x", NULL);
	is_err(otree_from_outs(&t, &l, "rev"), CAIRN_ERR_FORMAT, "an output tracked twice");
	out_list_release(&l);
}

static const struct cairn_error *collect(const char *path, const struct tree_entry *te, void *arg)
{
	buf_addf(arg, "%s%s;", path, te->type == TREE_DIR ? "/" : "");
	return NULL;
}

static void test_otree__list(void)
{
	struct out_list l = OUT_LIST_INIT;
	struct buf b = BUF_INIT;
	struct tree *t;

	out_dir(&l, "d/v", big(false));
	out_dir(&l, "f", NULL);
	if (otree_from_outs(&t, &l, "x") != NULL)
		bail("otree");
	buf_init(&b);
	ok_noerr(otree_list(t, cache, "", false, collect, &b), "list the root");
	is_str(b.s, "d/;f;", "the top level");
	buf_reset(&b);
	ok_noerr(otree_list(t, cache, "d/v/chg", false, collect, &b), "list inside an output");
	is_str(b.s, "d/v/chg/deep/;d/v/chg/keep;", "one level of a tracked folder");
	buf_reset(&b);
	ok_noerr(otree_list(t, cache, "d", true, collect, &b), "recursive listing");
	is_str(b.s, "d/v/chg/deep/f;d/v/chg/keep;d/v/same/inner/y;d/v/same/x;d/v/top;",
	       "every file below");
	buf_reset(&b);
	ok_noerr(otree_list(t, cache, "d/v/top", true, collect, &b), "a single file");
	is_str(b.s, "d/v/top;", "is listed itself");
	is_err(otree_list(t, cache, "d/v/nope", false, collect, &b), CAIRN_ERR_NOT_TRACKED,
	       "an untracked path");
	is_err(otree_list(t, cache, "f/under", false, collect, &b), CAIRN_ERR_NOT_TRACKED,
	       "a path below a file");
	buf_release(&b);
	tree_free(t);
	out_list_release(&l);
}

int main(void)
{
	char *cdir;

	dir = tap_tmpdir();
	cdir = xasprintf("%s/cache", dir);
	if (cache_open(&cache, cdir) != NULL)
		bail("cache_open");
	free(cdir);
	TAP_RUN(test_otree__build);
	TAP_RUN(test_otree__list);
	TAP_RUN(test_diff__lazy);
	TAP_RUN(test_diff__renames);
	TAP_RUN(test_diff__many_identical);
	cache_close(cache);
	tap_rmtree(dir);
	return tap_done();
}
