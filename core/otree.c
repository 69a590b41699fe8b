/*
 * otree.c: outputs as one tree. Recorded folders stay unloaded (sub NULL,
 * known id) until a walk asks for them; workspace folders are scanned and
 * hashed like status does, and sealed bottom-up wherever every entry can be
 * stored, so equal subtrees are skipped by a diff.
 */
#include "buildconf.h"

#include "core/otree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/digest.h"
#include "core/fsutil.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/scan.h"
#include "core/work.h"
#include "core/xmalloc.h"

/* The entry named name in t (the last one first: outputs arrive sorted). */
static struct tree_entry *otree_child(struct tree *t, const char *name)
{
	size_t i;

	if (t->n && strcmp(t->e[t->n - 1].name, name) == 0)
		return &t->e[t->n - 1];
	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].name, name) == 0)
			return &t->e[i];
	return NULL;
}

/* Make the entry for output rel, creating the folders above it. */
static const struct cairn_error *otree_place(struct tree_entry **out, struct tree *root,
					     const char *rel, const char *where)
{
	struct tree *t = root;
	const char *p = rel;
	char *name;

	for (;;) {
		const char *slash = strchr(p, '/');
		struct tree_entry *te;

		name = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
		te = otree_child(t, name);
		if (slash == NULL) {
			free(name);
			if (te)
				return err_new(CAIRN_ERR_FORMAT, "'%s' is tracked twice in %s", rel,
					       where);
			*out = tree_add(t, fs_basename(rel), TREE_FILE);
			return NULL;
		}
		if (te == NULL) {
			te = tree_add(t, name, TREE_DIR);
			te->sub = tree_new();
		} else if (te->type != TREE_DIR || te->known) {
			const struct cairn_error *e = err_new(
				CAIRN_ERR_FORMAT, "'%s' is inside the tracked output '%.*s' in %s",
				rel, (int)(slash - rel), rel, where);

			free(name);
			return e;
		}
		free(name);
		t = te->sub;
		p = slash + 1;
	}
}

/* Fill te with what o's pointer records. */
static void otree_set_recorded(struct tree_entry *te, const struct out *o)
{
	te->type = o->ptr->type == PTR_DIR ? TREE_DIR : TREE_FILE;
	te->known = true;
	te->id = o->ptr->id;
	te->size = o->ptr->size;
	te->nfiles = o->ptr->type == PTR_DIR ? o->ptr->nfiles : 0;
	te->exec = o->ptr->type == PTR_FILE && o->ptr->exec;
}

/* Give the folders above outputs the totals of what they hold. */
static void otree_sum(struct tree *t, uint64_t *size, uint64_t *nfiles)
{
	size_t i;

	*size = 0;
	*nfiles = 0;
	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];

		if (te->type == TREE_DIR && !te->known && te->sub)
			otree_sum(te->sub, &te->size, &te->nfiles);
		*size += te->size;
		*nfiles += te->type == TREE_DIR ? te->nfiles : 1;
	}
}

const struct cairn_error *otree_from_outs(struct tree **out, const struct out_list *l,
					  const char *where)
{
	uint64_t size, nfiles;
	const struct cairn_error *e;
	struct tree *t = tree_new();
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct tree_entry *te;

		if ((e = otree_place(&te, t, l->v[i].rel, where)) != NULL) {
			tree_free(t);
			return e;
		}
		otree_set_recorded(te, &l->v[i]);
	}
	tree_sort(t);
	otree_sum(t, &size, &nfiles);
	*out = t;
	return NULL;
}

/* Compute folder ids bottom-up wherever the subtree can be stored. */
static bool otree_seal_partial(struct tree *t)
{
	bool all = true;
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];

		if (te->type == TREE_OTHER || (te->type == TREE_FILE && !te->known))
			all = false;
		else if (te->type == TREE_DIR && te->sub && !otree_seal_partial(te->sub))
			all = false;
	}
	if (!all)
		return false;
	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];

		if (te->type == TREE_DIR && te->sub) {
			if (tree_seal(&te->id, &te->size, &te->nfiles, te->sub, NULL) != NULL)
				return false;
			te->known = true;
		}
	}
	return true;
}

/* Replace te (recorded) by the workspace data of o, when there is any. */
static const struct cairn_error *otree_read_work(struct tree_entry *te, struct work *w,
						 const struct out *o)
{
	const struct cairn_error *e;
	struct scan_opts so;
	struct stat st;
	int dfd;

	e = fs_open_dir_beneath(&dfd, w->repo->rootfd, o->dir, false);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		return NULL;
	if (e)
		return e;
	if (fstatat(dfd, o->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		close(dfd);
		return errno == ENOENT ? NULL : err_errno("stat '%s'", o->rel);
	}
	te->st = st;
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(dfd, o->name, target, sizeof(target) - 1);

		close(dfd);
		if (n < 0)
			return err_errno("read symlink '%s'", o->rel);
		target[n] = '\0';
		if (scan_cache_link(&te->id, target, cache_dir(w->cache))) {
			te->type = TREE_FILE;
			te->known = true;
			te->exec = false;
			te->cache_link = true;
		} else {
			te->type = TREE_SYMLINK;
			te->known = false;
			te->target = xstrdup(target);
		}
		return NULL;
	}
	close(dfd);
	if (S_ISREG(st.st_mode)) {
		/* forget the recorded id: digest_file keeps an id it is given */
		te->type = TREE_FILE;
		te->known = false;
		te->exec = false;
		return digest_file(&w->digest, o->rel, te);
	}
	if (!S_ISDIR(st.st_mode)) {
		te->type = TREE_OTHER;
		te->known = false;
		return NULL;
	}
	so.root = w->repo->root;
	so.cache_dir = cache_dir(w->cache);
	so.strict = false;
	te->type = TREE_DIR;
	te->known = false;
	if ((e = scan_dir(&te->sub, w->repo->rootfd, o->rel, &so)) != NULL)
		return e;
	if ((e = digest_tree(&w->digest, te->sub, o->rel)) != NULL)
		return e;
	if (otree_seal_partial(te->sub) &&
	    tree_seal(&te->id, &te->size, &te->nfiles, te->sub, NULL) == NULL)
		te->known = true;
	return NULL;
}

const struct cairn_error *otree_from_workspace(struct tree **out, struct work *w,
					       const struct out_list *l)
{
	const struct cairn_error *e = NULL;
	struct tree *t = tree_new();
	size_t i;

	for (i = 0; i < l->n && e == NULL; i++) {
		struct tree_entry *te;

		if ((e = otree_place(&te, t, l->v[i].rel, "the workspace")) != NULL)
			break;
		otree_set_recorded(te, &l->v[i]);
		e = otree_read_work(te, w, &l->v[i]);
	}
	if (e) {
		tree_free(t);
		return e;
	}
	tree_sort(t);
	*out = t;
	return NULL;
}

/* Load the entries of a recorded folder (sub NULL) from the cache into it. */
static const struct cairn_error *otree_expand(struct tree_entry *te, const struct cache *c,
					      const char *rel)
{
	const struct cairn_error *e;

	if (te->type != TREE_DIR || te->sub || !te->known)
		return NULL;
	if ((e = tree_load_level(&te->sub, c, &te->id)) != NULL)
		return err_wrap(e, "'%s'", rel);
	return NULL;
}

/* The entry at rel (not ""), its folder levels loaded; NULL when untracked. */
static const struct cairn_error *otree_lookup(struct tree_entry **found, struct tree *t,
					      const struct cache *c, const char *rel)
{
	const struct cairn_error *e;
	struct tree_entry *te = NULL;
	const char *p = rel;

	*found = NULL;
	for (;;) {
		const char *slash = strchr(p, '/');
		char *name = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);

		te = (struct tree_entry *)tree_find(t, name);
		free(name);
		if (te == NULL)
			return NULL;
		if (te->type == TREE_DIR) {
			char *sofar = xstrndup(rel, slash ? (size_t)(slash - rel) : strlen(rel));

			e = otree_expand(te, c, sofar);
			free(sofar);
			if (e)
				return e;
		}
		if (slash == NULL)
			break;
		if (te->type != TREE_DIR)
			return NULL;
		t = te->sub;
		p = slash + 1;
	}
	*found = te;
	return NULL;
}

/* An entry of one folder in visiting order: a folder walked into sorts as "name/". */
struct otree_step {
	struct tree_entry *te;
	bool into;
};

static int otree_step_cmp(const void *x, const void *y)
{
	const struct otree_step *a = x, *b = y;
	size_t la = strlen(a->te->name), lb = strlen(b->te->name);
	int c = memcmp(a->te->name, b->te->name, la < lb ? la : lb);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = la > lb ? (unsigned char)a->te->name[lb] : a->into ? '/' : '\0';
	cb = lb > la ? (unsigned char)b->te->name[la] : b->into ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

static void otree_path_set(struct buf *path, size_t base, const char *name)
{
	path->len = base;
	if (base)
		buf_addch(path, '/');
	buf_adds(path, name);
}

/*
 * Visit t's entries; recursive: down into folders, so that the paths come
 * in byte order ("a b", "a/x", "a-b": a folder's files sort as "a/...").
 */
static const struct cairn_error *otree_walk(struct tree *t, const struct cache *c,
					    struct buf *path, bool recursive, otree_visit_cb cb,
					    void *arg)
{
	const struct cairn_error *e = NULL;
	size_t base = path->len, i;
	struct otree_step *v = xcalloc(t->n ? t->n : 1, sizeof(*v));

	for (i = 0; i < t->n && e == NULL; i++) {
		struct tree_entry *te = &t->e[i];

		v[i].te = te;
		if (recursive && te->type == TREE_DIR) {
			otree_path_set(path, base, te->name);
			e = otree_expand(te, c, path->s);
			v[i].into = e == NULL && te->sub && te->sub->n;
		}
	}
	if (e == NULL && recursive)
		qsort(v, t->n, sizeof(*v), otree_step_cmp);
	for (i = 0; i < t->n && e == NULL; i++) {
		otree_path_set(path, base, v[i].te->name);
		if (v[i].into)
			e = otree_walk(v[i].te->sub, c, path, recursive, cb, arg);
		else
			e = cb(path->s, v[i].te, arg);
	}
	free(v);
	path->len = base;
	path->s[base] = '\0';
	return e;
}

const struct cairn_error *otree_list(struct tree *t, const struct cache *c, const char *rel,
				     bool recursive, otree_visit_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct tree_entry *te = NULL;
	struct buf path = BUF_INIT;

	if (*rel && (e = otree_lookup(&te, t, c, rel)) != NULL)
		return e;
	if (*rel && te == NULL)
		return err_new(CAIRN_ERR_NOT_TRACKED, "nothing is tracked at '%s'", rel);
	if (te && te->type != TREE_DIR)
		return cb(rel, te, arg);
	buf_init(&path);
	buf_adds(&path, rel);
	e = otree_walk(te ? te->sub : t, c, &path, recursive, cb, arg);
	buf_release(&path);
	return e;
}
