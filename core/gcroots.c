/*
 * gcroots.c: the keep set and the manifest walk. Manifests are expanded
 * once each (a set of expanded ids, separate from the keep set, so a file
 * whose bytes happen to equal a manifest never hides a tree); each is read
 * through cache_read_small, which checks its hash, and parsed with the
 * same validation checkout uses.
 */
#include "buildconf.h"

#include "core/gcroots.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/manifest.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/stageout.h"
#include "core/tree.h"
#include "core/xmalloc.h"

struct gcroots {
	const struct cache *cache;
	struct oidset keep;     /* objects to keep */
	struct oidset expanded; /* manifests already walked */
	struct gcroots_scope *scopes;
	size_t nscopes, capscopes;
	gcroots_problem_cb on_problem;
	void *problem_arg;
	struct gcroots_unread *unread; /* manifests not in the cache when walked */
	struct oidset unreadset;       /* their ids */
	size_t nunread, capunread;
};

struct gcroots *gcroots_new(const struct cache *c)
{
	struct gcroots *g = xcalloc(1, sizeof(*g));

	g->cache = c;
	oidset_init(&g->keep);
	oidset_init(&g->expanded);
	oidset_init(&g->unreadset);
	return g;
}

void gcroots_free(struct gcroots *g)
{
	size_t i;

	if (g == NULL)
		return;
	oidset_release(&g->keep);
	oidset_release(&g->expanded);
	oidset_release(&g->unreadset);
	for (i = 0; i < g->nunread; i++)
		free(g->unread[i].path);
	free(g->unread);
	for (i = 0; i < g->nscopes; i++)
		free(g->scopes[i].name);
	free(g->scopes);
	free(g);
}

void gcroots_on_problem(struct gcroots *g, gcroots_problem_cb cb, void *arg)
{
	g->on_problem = cb;
	g->problem_arg = arg;
}

void gcroots_scope(struct gcroots *g, const char *name)
{
	struct gcroots_scope *s;

	XGROW(g->scopes, g->nscopes + 1, g->capscopes);
	s = &g->scopes[g->nscopes++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
}

static struct gcroots_scope *gcroots_cur(struct gcroots *g)
{
	if (g->nscopes == 0)
		gcroots_scope(g, "other");
	return &g->scopes[g->nscopes - 1];
}

static void gcroots_problem(struct gcroots *g, enum gcroots_problem kind, const struct oid *id,
			    const char *path, const char *msg)
{
	gcroots_cur(g)->problems[kind]++;
	if (g->on_problem)
		g->on_problem(kind, id, path, msg, g->problem_arg);
}

void gcroots_add_object(struct gcroots *g, const struct oid *id)
{
	if (oidset_add(&g->keep, id))
		gcroots_cur(g)->objects++;
}

/* Remember a manifest the walk could not read, once. */
static void gcroots_note_unread(struct gcroots *g, const struct oid *id, const char *path,
				int depth, bool root)
{
	struct gcroots_unread *u;

	if (!oidset_add(&g->unreadset, id))
		return;
	XGROW(g->unread, g->nunread + 1, g->capunread);
	u = &g->unread[g->nunread++];
	u->id = *id;
	u->path = xstrdup(path);
	u->depth = depth;
	u->root = root;
}

static void gcroots_walk(struct gcroots *g, const struct oid *id, struct buf *path, int depth,
			 bool root)
{
	const struct cairn_error *e;
	struct manifest m = MANIFEST_INIT;
	size_t i, base = path->len;
	char *data;
	size_t len;

	gcroots_add_object(g, id);
	/* a manifest met again: walked, or reported missing, once */
	if (oidset_has(&g->expanded, id) || oidset_has(&g->unreadset, id))
		return;
	if (depth > TREE_MAX_DEPTH) {
		oidset_add(&g->expanded, id);
		gcroots_problem(g, GCROOTS_CORRUPT, id, path->s, "folders nested too deeply");
		return;
	}
	e = cache_read_small(&data, &len, g->cache, id, MANIFEST_MAX_BYTES);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		gcroots_note_unread(g, id, path->s, depth, root);
		gcroots_problem(g, root ? GCROOTS_ABSENT : GCROOTS_MISSING, id, path->s,
				"manifest is not in the cache");
		return;
	}
	oidset_add(&g->expanded, id);
	if (e == NULL) {
		e = manifest_parse(&m, data, len, oid_hex(id));
		free(data);
	}
	if (e) {
		gcroots_problem(g, GCROOTS_CORRUPT, id, path->s, e->msg);
		return;
	}
	for (i = 0; i < m.n; i++) {
		const struct manifest_entry *me = &m.entries[i];

		path->len = base;
		path->s[base] = '\0';
		if (base)
			buf_addch(path, '/');
		buf_adds(path, me->name);
		if (me->type == MANIFEST_DIR) {
			gcroots_walk(g, &me->id, path, depth + 1, false);
		} else if (me->type == MANIFEST_FILE) {
			gcroots_add_object(g, &me->id);
			if (g->on_problem && !cache_has(g->cache, &me->id))
				gcroots_problem(g, GCROOTS_MISSING, &me->id, path->s,
						"object is not in the cache");
		}
	}
	path->len = base;
	path->s[base] = '\0';
	manifest_release(&m);
}

void gcroots_add_tree(struct gcroots *g, const struct oid *root, const char *path)
{
	struct buf b = BUF_INIT;

	buf_init(&b);
	buf_adds(&b, path);
	gcroots_walk(g, root, &b, 0, true);
	buf_release(&b);
}

void gcroots_add_ptr(struct gcroots *g, const struct ptr *p, const char *path)
{
	gcroots_cur(g)->roots++;
	if (p->type == PTR_DIR) {
		gcroots_add_tree(g, &p->id, path);
		return;
	}
	gcroots_add_object(g, &p->id);
	if (g->on_problem && !cache_has(g->cache, &p->id))
		gcroots_problem(g, GCROOTS_ABSENT, &p->id, path, "object is not in the cache");
}

void gcroots_add_outs(struct gcroots *g, const struct out_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		gcroots_add_ptr(g, l->v[i].ptr, l->v[i].rel);
}

void gcroots_add_text(struct gcroots *g, const char *text, size_t len, const char *path,
		      const char *msg)
{
	struct oidset ids = OIDSET_INIT;
	struct manifest m = MANIFEST_INIT;
	size_t i, n;
	char *data;

	gcroots_problem(g, GCROOTS_MALFORMED, NULL, path, msg);
	oidset_add_text(&ids, text, len);
	for (i = 0; i < ids.n; i++) {
		const struct oid *id = &ids.v[i];

		gcroots_cur(g)->roots++;
		/* which of them are folders is not known: a manifest is one */
		if (cache_read_small(&data, &n, g->cache, id, MANIFEST_MAX_BYTES) == NULL) {
			bool dir = manifest_parse(&m, data, n, oid_hex(id)) == NULL;

			free(data);
			manifest_release(&m);
			if (dir) {
				gcroots_add_tree(g, id, path);
				continue;
			}
		}
		gcroots_add_object(g, id);
	}
	oidset_release(&ids);
}

const struct cairn_error *gcroots_add_workspace(struct gcroots *g, struct repo *r)
{
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;

	gcroots_scope(g, "workspace");
	/* pointer files' outputs and the stage outputs cairn.lock records */
	if ((e = stageout_collect(&l, r, NULL, 0)) == NULL)
		gcroots_add_outs(g, &l);
	out_list_release(&l);
	return e;
}

const struct gcroots_unread *gcroots_unread(const struct gcroots *g, size_t *n)
{
	*n = g->nunread;
	return g->unread;
}

void gcroots_walk_unread(struct gcroots *g)
{
	struct gcroots_unread *old = g->unread;
	size_t i, n = g->nunread;
	struct buf b = BUF_INIT;

	g->unread = NULL;
	g->nunread = g->capunread = 0;
	oidset_release(&g->unreadset);
	oidset_init(&g->unreadset);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_adds(&b, old[i].path);
		gcroots_walk(g, &old[i].id, &b, old[i].depth, old[i].root);
		free(old[i].path);
	}
	free(old);
	buf_release(&b);
}

bool gcroots_has(const struct gcroots *g, const struct oid *id)
{
	return oidset_has(&g->keep, id);
}

const struct oidset *gcroots_set(const struct gcroots *g)
{
	return &g->keep;
}

const struct gcroots_scope *gcroots_scopes(const struct gcroots *g, size_t *n)
{
	*n = g->nscopes;
	return g->scopes;
}

size_t gcroots_problems(const struct gcroots *g, enum gcroots_problem kind)
{
	size_t i, n = 0;

	for (i = 0; i < g->nscopes; i++)
		n += g->scopes[i].problems[kind];
	return n;
}
