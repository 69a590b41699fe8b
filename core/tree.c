/*
 * tree.c: directory trees and their manifests. A loaded tree is checked
 * completely (names, symlink targets, depth, declared totals) before any
 * caller can act on it, so checkout never starts on a hostile tree.
 */
#include "buildconf.h"

#include "core/tree.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/hash.h"
#include "core/name.h"
#include "core/par.h"
#include "core/xmalloc.h"

struct tree *tree_new(void)
{
	return xcalloc(1, sizeof(struct tree));
}

void tree_free(struct tree *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->e[i].name);
		free(t->e[i].target);
		tree_free(t->e[i].sub);
	}
	free(t->e);
	free(t);
}

struct tree_entry *tree_add(struct tree *t, const char *name, enum tree_type type)
{
	struct tree_entry *e;

	XGROW(t->e, t->n + 1, t->cap);
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->type = type;
	return e;
}

static int tree_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->name, ((const struct tree_entry *)b)->name);
}

void tree_sort(struct tree *t)
{
	size_t i;

	if (t->n > 1)
		qsort(t->e, t->n, sizeof(*t->e), tree_cmp);
	for (i = 0; i < t->n; i++)
		if (t->e[i].sub)
			tree_sort(t->e[i].sub);
}

const struct tree_entry *tree_find(const struct tree *t, const char *name)
{
	size_t lo = 0, hi = t ? t->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, t->e[mid].name);

		if (c == 0)
			return &t->e[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct cairn_error *tree_seal_rec(struct oid *root, uint64_t *size,
					      uint64_t *nfiles, struct tree *t, struct cache *c,
					      const unsigned char *done)
{
	const struct cairn_error *e;
	struct manifest m = MANIFEST_INIT;
	struct buf b = BUF_INIT;
	uint64_t tsize = 0, tfiles = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];
		struct manifest_entry *me;

		if (te->type == TREE_OTHER) {
			manifest_release(&m);
			return err_new(CAIRN_ERR_FAILED, "cannot store '%s'", te->name);
		}
		if (te->type == TREE_DIR && !te->dir_cached && !(done && done[i])) {
			if ((e = tree_seal_rec(&te->id, &te->size, &te->nfiles, te->sub, c, NULL)) !=
			    NULL) {
				manifest_release(&m);
				return e;
			}
			te->known = true;
		}
		if (te->type == TREE_FILE && !te->known) {
			manifest_release(&m);
			return err_new(CAIRN_ERR_FAILED, "'%s' was not hashed", te->name);
		}
		me = manifest_add(&m, te->name, (enum manifest_type)te->type);
		me->id = te->id;
		me->size = te->size;
		me->nfiles = te->nfiles;
		me->exec = te->exec;
		if (te->type == TREE_SYMLINK)
			me->target = xstrdup(te->target);
		if (te->type != TREE_SYMLINK)
			tsize += te->size;
		tfiles += te->type == TREE_DIR ? te->nfiles : 1;
	}
	/* scans and loads keep entries sorted; manifest_format needs it */
	buf_init(&b);
	manifest_format(&b, &m);
	manifest_release(&m);
	if (c) {
		e = cache_insert_buf(root, c, b.s, b.len);
	} else {
		hash_buf(root, b.s, b.len);
		e = NULL;
	}
	buf_release(&b);
	if (e)
		return e;
	*size = tsize;
	*nfiles = tfiles;
	return NULL;
}


struct tree_seal_par {
	struct tree *t;
	struct cache *c;
	size_t *dirs; /* indexes of the subfolders to seal */
};

static const struct cairn_error *tree_seal_item(void *arg, size_t i, int thread)
{
	struct tree_seal_par *p = arg;
	struct tree_entry *te = &p->t->e[p->dirs[i]];

	(void)thread;
	return tree_seal_rec(&te->id, &te->size, &te->nfiles, te->sub, p->c, NULL);
}

const struct cairn_error *tree_seal(struct oid *root, uint64_t *size, uint64_t *nfiles,
				    struct tree *t, struct cache *c)
{
	const struct cairn_error *e = NULL;
	struct tree_seal_par p;
	unsigned char *done;
	size_t i, n = 0;

	/* the subfolders of the top are independent: seal them on all cores first */
	p.t = t;
	p.c = c;
	p.dirs = xcalloc(t->n ? t->n : 1, sizeof(*p.dirs));
	done = xcalloc(t->n ? t->n : 1, 1);
	for (i = 0; i < t->n; i++)
		if (t->e[i].type == TREE_DIR && !t->e[i].dir_cached)
			p.dirs[n++] = i;
	if (n > 1) {
		e = par_run(n, 0, tree_seal_item, &p, NULL, NULL);
		for (i = 0; i < n && e == NULL; i++) {
			t->e[p.dirs[i]].known = true;
			done[p.dirs[i]] = 1;
		}
	}
	if (e == NULL)
		e = tree_seal_rec(root, size, nfiles, t, c, done);
	free(done);
	free(p.dirs);
	return e;
}

/* The manifest id from the cache, parsed; depth guards against a nesting bomb. */
static const struct cairn_error *tree_manifest_read(struct manifest *m, const struct cache *c,
						    const struct oid *id, int depth)
{
	const struct cairn_error *e;
	char *data;
	size_t len;

	if (depth > TREE_MAX_DEPTH)
		return err_new(CAIRN_ERR_FORMAT, "manifest %s: folders nested too deeply", oid_hex(id));
	e = cache_read_small(&data, &len, c, id, MANIFEST_MAX_BYTES);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		return err_new(CAIRN_ERR_NOT_FOUND, "manifest %s is not in the cache", oid_hex(id));
	if (e)
		return e;
	e = manifest_parse(m, data, len, oid_hex(id));
	free(data);
	return e;
}

static const struct cairn_error *tree_too_big(const struct oid *id)
{
	return err_new(CAIRN_ERR_FAILED,
		       "manifest %s: the folder holds more than %d entries, more than cairn "
		       "loads at once",
		       oid_hex(id), TREE_MAX_ENTRIES);
}

/* left: the entries the whole load may still build (TREE_MAX_ENTRIES at the root) */
static const struct cairn_error *tree_load_rec(struct tree **out, const struct cache *c,
					       const struct oid *id, int depth, uint64_t *size,
					       uint64_t *nfiles, uint64_t *left)
{
	const struct cairn_error *e;
	struct manifest m = MANIFEST_INIT;
	struct tree *t;
	uint64_t need;
	size_t i;
	const char *why;

	if ((e = tree_manifest_read(&m, c, id, depth)) != NULL)
		return e;
	/*
	 * Its entries and the files its folders declare (checked as they
	 * load), before anything is built: a bomb is refused at its top.
	 */
	need = m.n;
	for (i = 0; i < m.n && need <= *left; i++)
		if (m.entries[i].type == MANIFEST_DIR)
			need += m.entries[i].nfiles < *left ? m.entries[i].nfiles : *left;
	if (need > *left) {
		manifest_release(&m);
		return tree_too_big(id);
	}
	*left -= m.n;
	t = tree_new();
	*size = 0;
	*nfiles = 0;
	for (i = 0; i < m.n; i++) {
		struct manifest_entry *me = &m.entries[i];
		struct tree_entry *te = tree_add(t, me->name, (enum tree_type)me->type);

		te->id = me->id;
		te->known = true;
		te->size = me->size;
		te->nfiles = me->nfiles;
		te->exec = me->exec;
		if (me->type == MANIFEST_SYMLINK) {
			if ((why = name_check_link_target(me->target, depth)) != NULL) {
				e = err_new(CAIRN_ERR_FORMAT, "manifest %s: symlink '%s': %s",
					    oid_hex(id), me->name, why);
				break;
			}
			te->target = xstrdup(me->target);
			te->size = 0;
			*nfiles += 1;
		} else if (me->type == MANIFEST_DIR) {
			uint64_t s, n;

			if ((e = tree_load_rec(&te->sub, c, &me->id, depth + 1, &s, &n, left)) != NULL)
				break;
			if (s != me->size || n != me->nfiles) {
				e = err_new(CAIRN_ERR_FORMAT,
					    "manifest %s: folder '%s' does not hold what it declares",
					    oid_hex(id), me->name);
				break;
			}
			*size += s;
			*nfiles += n;
		} else {
			*size += me->size;
			*nfiles += 1;
		}
	}
	manifest_release(&m);
	if (e) {
		tree_free(t);
		return e;
	}
	*out = t;
	return NULL;
}

/*
 * Follow target from the folder at the top of stack (the folders from the
 * root down, NULL for a name the tree does not hold), through the tree's own
 * symlinks. False when it climbs above the root or loops.
 */
static bool tree_link_inside(const struct tree **stack, int *depth, const char *target,
			     int *hops)
{
	const char *p = target;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char name[256];
		const struct tree_entry *te;

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--*depth < 0)
				return false;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (n >= sizeof(name) || *depth + 1 >= TREE_MAX_DEPTH * 2)
				return false;
			memcpy(name, p, n);
			name[n] = '\0';
			te = stack[*depth] ? tree_find(stack[*depth], name) : NULL;
			if (te && te->type == TREE_SYMLINK) {
				if (++*hops > 40 || !tree_link_inside(stack, depth, te->target, hops))
					return false;
			} else {
				stack[*depth + 1] = te && te->type == TREE_DIR ? te->sub : NULL;
				++*depth;
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	return true;
}

/* Every symlink, followed through the others, must stay inside the tree. */
static const struct cairn_error *tree_links_rec(const struct tree *t, const struct tree **stack,
						const struct tree **scratch, int depth,
						struct buf *path)
{
	const struct cairn_error *e = NULL;
	size_t i, base = path->len;

	for (i = 0; i < t->n && e == NULL; i++) {
		const struct tree_entry *te = &t->e[i];
		int d = depth, hops = 0;

		path->len = base;
		if (base)
			buf_addch(path, '/');
		buf_adds(path, te->name);
		if (te->type == TREE_SYMLINK) {
			memcpy(scratch, stack, ((size_t)depth + 1) * sizeof(*stack));
			if (!tree_link_inside(scratch, &d, te->target, &hops))
				e = err_new(CAIRN_ERR_FORMAT,
					    "symlink '%s' -> '%s' leads out of the tree", path->s,
					    te->target);
		} else if (te->type == TREE_DIR && te->sub) {
			stack[depth + 1] = te->sub;
			e = tree_links_rec(te->sub, stack, scratch, depth + 1, path);
		}
	}
	path->len = base;
	if (path->cap)
		path->s[base] = '\0';
	return e;
}

const struct cairn_error *tree_check_links(const struct tree *t, const char *prefix)
{
	const struct cairn_error *e;
	const struct tree **stack, **scratch;
	struct buf path = BUF_INIT;

	stack = xcalloc(TREE_MAX_DEPTH * 2 + 2, sizeof(*stack));
	scratch = xcalloc(TREE_MAX_DEPTH * 2 + 2, sizeof(*scratch));
	stack[0] = t;
	buf_init(&path);
	buf_adds(&path, prefix);
	e = tree_links_rec(t, stack, scratch, 0, &path);
	buf_release(&path);
	free(stack);
	free(scratch);
	return e;
}

const struct cairn_error *tree_load(struct tree **out, const struct cache *c,
				    const struct oid *root)
{
	const struct cairn_error *e;
	uint64_t size, nfiles, left = TREE_MAX_ENTRIES;

	if ((e = tree_load_rec(out, c, root, 0, &size, &nfiles, &left)) != NULL)
		return e;
	if ((e = tree_check_links(*out, "")) != NULL) {
		tree_free(*out);
		*out = NULL;
		return err_wrap(e, "manifest %s", oid_hex(root));
	}
	return NULL;
}

static const struct cairn_error *tree_walk_rec(struct tree *t, struct buf *path,
					       tree_file_cb cb, void *arg)
{
	const struct cairn_error *e;
	size_t i, base = path->len;

	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];

		path->len = base;
		if (base)
			buf_addch(path, '/');
		buf_adds(path, te->name);
		if (te->type == TREE_FILE) {
			if ((e = cb(path->s, te, arg)) != NULL)
				return e;
		} else if (te->type == TREE_DIR && te->sub) {
			if ((e = tree_walk_rec(te->sub, path, cb, arg)) != NULL)
				return e;
		}
	}
	path->len = base;
	if (path->cap)
		path->s[base] = '\0';
	return NULL;
}

const struct cairn_error *tree_walk_files(struct tree *t, tree_file_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct buf path = BUF_INIT;

	buf_init(&path);
	e = tree_walk_rec(t, &path, cb, arg);
	buf_release(&path);
	return e;
}

/*
 * Read and validate one manifest into a tree whose folder entries keep sub
 * NULL. depth >= 0 checks symlink targets against the tracked folder; lazy
 * readers that only list (depth < 0) skip that check.
 */
static const struct cairn_error *tree_read_level(struct tree **out, const struct cache *c,
						 const struct oid *id, int depth)
{
	const struct cairn_error *e = NULL;
	struct manifest m = MANIFEST_INIT;
	struct tree *t;
	size_t i;
	const char *why;

	if ((e = tree_manifest_read(&m, c, id, depth)) != NULL)
		return e;
	t = tree_new();
	for (i = 0; i < m.n && e == NULL; i++) {
		struct manifest_entry *me = &m.entries[i];
		struct tree_entry *te = tree_add(t, me->name, (enum tree_type)me->type);

		te->id = me->id;
		te->known = true;
		te->size = me->size;
		te->nfiles = me->nfiles;
		te->exec = me->exec;
		if (me->type == MANIFEST_SYMLINK) {
			if (depth >= 0 && (why = name_check_link_target(me->target, depth)) != NULL)
				e = err_new(CAIRN_ERR_FORMAT, "manifest %s: symlink '%s': %s",
					    oid_hex(id), me->name, why);
			te->target = xstrdup(me->target);
			te->size = 0;
		}
	}
	manifest_release(&m);
	if (e) {
		tree_free(t);
		return e;
	}
	*out = t;
	return NULL;
}

struct tree_diff_run {
	struct buf path;
	tree_diff_cb cb;
	void *arg;
	const struct cache *cache; /* load folders with sub NULL from here (lazy diffs) */
	tree_want_cb want;
	void *want_arg;
};

const struct cairn_error *tree_load_level(struct tree **out, const struct cache *c,
					  const struct oid *id)
{
	return tree_read_level(out, c, id, -1);
}

static bool tree_diff_wanted(struct tree_diff_run *r, bool is_dir)
{
	return r->want == NULL || r->want(r->path.s, is_dir, r->want_arg);
}

/*
 * The children of folder te: its sub, or (lazy diffs) its manifest level
 * loaded into *loaded, which the caller frees. NULL sub without a cache:
 * the folder is reported as a whole.
 */
static const struct cairn_error *tree_diff_sub(const struct tree **out, struct tree **loaded,
					       struct tree_diff_run *r,
					       const struct tree_entry *te)
{
	const struct cairn_error *e;

	*loaded = NULL;
	*out = te->sub;
	if (te->sub || r->cache == NULL || !te->known)
		return NULL;
	if ((e = tree_read_level(loaded, r->cache, &te->id, -1)) != NULL)
		return err_wrap(e, "'%s'", r->path.s);
	*out = *loaded;
	return NULL;
}

/* Report a whole entry (and, for folders, everything below) as added or deleted. */
static const struct cairn_error *tree_diff_all(struct tree_diff_run *r,
					       const struct tree_entry *te, enum tree_change ch)
{
	const struct cairn_error *e = NULL;
	size_t base = r->path.len, i;
	const struct tree *sub = NULL;
	struct tree *loaded = NULL;

	if (!tree_diff_wanted(r, te->type == TREE_DIR))
		return NULL;
	if (te->type == TREE_DIR && (e = tree_diff_sub(&sub, &loaded, r, te)) != NULL)
		return e;
	if (te->type != TREE_DIR || sub == NULL || sub->n == 0) {
		tree_free(loaded);
		return r->cb(r->path.s, ch, ch == TREE_DELETED ? te : NULL,
			     ch == TREE_ADDED ? te : NULL, r->arg);
	}
	for (i = 0; i < sub->n && e == NULL; i++) {
		r->path.len = base;
		buf_addch(&r->path, '/');
		buf_adds(&r->path, sub->e[i].name);
		e = tree_diff_all(r, &sub->e[i], ch);
	}
	tree_free(loaded);
	r->path.len = base;
	r->path.s[base] = '\0';
	return e;
}

static bool tree_entry_same(const struct tree_entry *a, const struct tree_entry *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == TREE_SYMLINK)
		return strcmp(a->target, b->target) == 0;
	if (a->type == TREE_FILE)
		return a->known && b->known && oid_equal(&a->id, &b->id) && a->exec == b->exec;
	return false;
}

static const struct cairn_error *tree_diff_rec(struct tree_diff_run *r, const struct tree *a,
					       const struct tree *b);

/* Two folders of the same name: descend unless their ids are equal. */
static const struct cairn_error *tree_diff_dirs(struct tree_diff_run *r,
						const struct tree_entry *x,
						const struct tree_entry *y)
{
	const struct cairn_error *e;
	const struct tree *sa, *sb;
	struct tree *la, *lb = NULL;

	if (x->known && y->known && oid_equal(&x->id, &y->id))
		return NULL;
	if (!tree_diff_wanted(r, true))
		return NULL;
	if ((e = tree_diff_sub(&sa, &la, r, x)) != NULL)
		return e;
	if ((e = tree_diff_sub(&sb, &lb, r, y)) == NULL)
		e = tree_diff_rec(r, sa, sb);
	tree_free(la);
	tree_free(lb);
	return e;
}

static const struct cairn_error *tree_diff_rec(struct tree_diff_run *r, const struct tree *a,
					       const struct tree *b)
{
	const struct cairn_error *e = NULL;
	size_t i = 0, j = 0, base = r->path.len;
	size_t na = a ? a->n : 0, nb = b ? b->n : 0;

	while (e == NULL && (i < na || j < nb)) {
		const struct tree_entry *x = i < na ? &a->e[i] : NULL;
		const struct tree_entry *y = j < nb ? &b->e[j] : NULL;
		int c = x == NULL ? 1 : y == NULL ? -1 : strcmp(x->name, y->name);

		r->path.len = base;
		if (base)
			buf_addch(&r->path, '/');
		buf_adds(&r->path, c <= 0 ? x->name : y->name);
		if (c < 0) {
			e = tree_diff_all(r, x, TREE_DELETED);
			i++;
		} else if (c > 0) {
			e = tree_diff_all(r, y, TREE_ADDED);
			j++;
		} else {
			if (x->type == TREE_DIR && y->type == TREE_DIR) {
				e = tree_diff_dirs(r, x, y);
			} else if (x->type == TREE_DIR || y->type == TREE_DIR) {
				e = tree_diff_all(r, x, TREE_DELETED);
				if (e == NULL)
					e = tree_diff_all(r, y, TREE_ADDED);
			} else if (!tree_entry_same(x, y) && tree_diff_wanted(r, false)) {
				e = r->cb(r->path.s, TREE_MODIFIED, x, y, r->arg);
			}
			i++;
			j++;
		}
	}
	r->path.len = base;
	if (r->path.cap)
		r->path.s[base] = '\0';
	return e;
}

const struct cairn_error *tree_diff_lazy(const struct tree *a, const struct tree *b,
					 const struct cache *c, tree_want_cb want,
					 void *want_arg, tree_diff_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct tree_diff_run r;

	buf_init(&r.path);
	r.cb = cb;
	r.arg = arg;
	r.cache = c;
	r.want = want;
	r.want_arg = want_arg;
	e = tree_diff_rec(&r, a, b);
	buf_release(&r.path);
	return e;
}

const struct cairn_error *tree_diff(const struct tree *a, const struct tree *b, tree_diff_cb cb,
				    void *arg)
{
	return tree_diff_lazy(a, b, NULL, NULL, NULL, cb, arg);
}
