/*
 * diff.c: changes between output trees. The lazy tree diff reports added,
 * modified and deleted files; renames are then found by pairing each added
 * file with a deleted file of the same content (the same name first, then
 * the first by path), one to one, so the result does not depend on order.
 */
#include "buildconf.h"

#include "core/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/xmalloc.h"

const char *diff_change_name(enum diff_change c)
{
	switch (c) {
	case DIFF_ADDED:
		return "added";
	case DIFF_MODIFIED:
		return "modified";
	case DIFF_DELETED:
		return "deleted";
	default:
		return "renamed";
	}
}

static void diff_side_release(struct diff_side *s)
{
	free(s->target);
	memset(s, 0, sizeof(*s));
}

void diff_result_release(struct diff_result *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].old_path);
		diff_side_release(&d->v[i].a);
		diff_side_release(&d->v[i].b);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static void diff_side_set(struct diff_side *s, const struct tree_entry *te)
{
	memset(s, 0, sizeof(*s));
	if (te == NULL)
		return;
	s->present = true;
	s->type = te->type;
	s->known = te->known;
	s->id = te->id;
	s->size = te->type == TREE_FILE ? te->size : 0;
	s->exec = te->exec;
	s->target = te->target ? xstrdup(te->target) : NULL;
}

struct diff_run {
	struct diff_result *res;
	char *const *paths;
	size_t npaths;
};

/* Is path at or below p? */
static bool diff_under(const char *path, const char *p)
{
	size_t n = strlen(p);

	return n == 0 || (strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

static bool diff_path_wanted(const char *path, char *const *paths, size_t npaths)
{
	size_t i;

	if (npaths == 0)
		return true;
	for (i = 0; i < npaths; i++)
		if (diff_under(path, paths[i]))
			return true;
	return false;
}

static bool diff_want(const char *path, bool is_dir, void *arg)
{
	struct diff_run *r = arg;
	size_t i;

	if (diff_path_wanted(path, r->paths, r->npaths))
		return true;
	if (!is_dir)
		return false;
	for (i = 0; i < r->npaths; i++)
		if (diff_under(r->paths[i], path))
			return true; /* a wanted path lies below */
	return false;
}

static const struct cairn_error *diff_on_change(const char *path, enum tree_change change,
						const struct tree_entry *a,
						const struct tree_entry *b, void *arg)
{
	struct diff_run *r = arg;
	struct diff_item *it;

	XGROW(r->res->v, r->res->n + 1, r->res->cap);
	it = &r->res->v[r->res->n++];
	memset(it, 0, sizeof(*it));
	it->change = change == TREE_ADDED ? DIFF_ADDED
		     : change == TREE_DELETED ? DIFF_DELETED : DIFF_MODIFIED;
	it->path = xstrdup(path);
	diff_side_set(&it->a, a);
	diff_side_set(&it->b, b);
	return NULL;
}

static bool diff_is_file(const struct diff_side *s)
{
	return s->present && s->type == TREE_FILE && s->known;
}

/* A deleted file that may be the source of a rename. */
struct diff_cand {
	const struct diff_item *it;
	const char *base; /* last component of its path */
};

static int diff_cand_cmp(const void *x, const void *y)
{
	const struct diff_cand *a = x, *b = y;
	int c;

	if ((c = memcmp(a->it->a.id.b, b->it->a.id.b, sizeof(a->it->a.id.b))) != 0)
		return c;
	if ((c = strcmp(a->base, b->base)) != 0)
		return c;
	return strcmp(a->it->path, b->it->path);
}

/* First unused candidate at or after i (union-find with path halving). */
static size_t diff_next_free(size_t *next, size_t i)
{
	while (next[i] != i) {
		next[i] = next[next[i]];
		i = next[i];
	}
	return i;
}

/* First candidate in [lo, hi) not less than (id, base); base NULL: any name. */
static size_t diff_lower(const struct diff_cand *v, size_t lo, size_t hi, const struct oid *id,
			 const char *base)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(v[mid].it->a.id.b, id->b, sizeof(id->b));

		if (c == 0 && base)
			c = strcmp(v[mid].base, base);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Pair added and deleted files of equal content (and exec bit) into
 * renames: for each added file in path order, the unused deleted file of
 * the same name, else the first unused one of that content. Each pick
 * takes the first free slot of a sorted run, so it costs near O(1).
 */
static void diff_renames(struct diff_result *d)
{
	struct diff_cand *cand = xcalloc(d->n + 1, sizeof(*cand));
	size_t *next, *src, m = 0, i, k;
	bool *gone;

	for (i = 0; i < d->n; i++)
		if (d->v[i].change == DIFF_DELETED && diff_is_file(&d->v[i].a)) {
			cand[m].it = &d->v[i];
			cand[m].base = fs_basename(d->v[i].path);
			m++;
		}
	if (m > 1)
		qsort(cand, m, sizeof(*cand), diff_cand_cmp);
	next = xcalloc(m + 1, sizeof(*next));
	for (i = 0; i <= m; i++)
		next[i] = i;
	gone = xcalloc(d->n + 1, sizeof(*gone));
	src = xcalloc(d->n + 1, sizeof(*src));
	for (i = 0; i < d->n; i++)
		src[i] = SIZE_MAX;
	for (i = 0; i < d->n && m; i++) {
		struct diff_item *add = &d->v[i];
		size_t lo, j;

		if (add->change != DIFF_ADDED || !diff_is_file(&add->b))
			continue;
		lo = diff_lower(cand, 0, m, &add->b.id, NULL);
		j = diff_lower(cand, lo, m, &add->b.id, fs_basename(add->path));
		j = diff_next_free(next, j);
		if (j >= m || !oid_equal(&cand[j].it->a.id, &add->b.id) ||
		    strcmp(cand[j].base, fs_basename(add->path)) != 0)
			j = diff_next_free(next, lo);
		while (j < m && oid_equal(&cand[j].it->a.id, &add->b.id) &&
		       cand[j].it->a.exec != add->b.exec)
			j = diff_next_free(next, j + 1);
		if (j >= m || !oid_equal(&cand[j].it->a.id, &add->b.id))
			continue;
		next[j] = j + 1;
		src[i] = (size_t)(cand[j].it - d->v);
		gone[src[i]] = true;
	}
	/* move the old sides over (the candidates stay sorted until here) */
	for (i = 0; i < d->n; i++) {
		struct diff_item *add = &d->v[i], *del;

		if (src[i] == SIZE_MAX)
			continue;
		del = &d->v[src[i]];
		add->change = DIFF_RENAMED;
		add->old_path = del->path;
		add->a = del->a;
		del->path = NULL;
		memset(&del->a, 0, sizeof(del->a));
	}
	/* drop the deleted halves of renames */
	for (i = 0, k = 0; i < d->n; i++) {
		if (gone[i]) {
			diff_side_release(&d->v[i].b);
			continue;
		}
		d->v[k++] = d->v[i];
	}
	d->n = k;
	free(src);
	free(gone);
	free(next);
	free(cand);
}

static int diff_cmp(const void *x, const void *y)
{
	const struct diff_item *a = x, *b = y;

	return strcmp(a->path, b->path);
}

const struct cairn_error *diff_trees(struct diff_result *out, const struct tree *a,
				     const struct tree *b, const struct cache *c,
				     char *const *paths, size_t npaths)
{
	const struct cairn_error *e;
	struct diff_run r;
	size_t i;

	memset(out, 0, sizeof(*out));
	r.res = out;
	r.paths = paths;
	r.npaths = npaths;
	for (i = 0; i < npaths; i++)
		if (*paths[i] == '\0')
			r.npaths = 0; /* the root: everything */
	e = tree_diff_lazy(a, b, c, r.npaths ? diff_want : NULL, &r, diff_on_change, &r);
	if (e) {
		diff_result_release(out);
		return e;
	}
	diff_renames(out);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), diff_cmp);
	return NULL;
}
