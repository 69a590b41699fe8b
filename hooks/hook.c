/*
 * hook.c: the logic of the pre-commit and post-checkout family of hooks.
 * Pointers are read from Git objects (core/rev.h); the work a hook does
 * grows with what changed: pre-commit checks the cache only for pointers
 * new since HEAD, and the post-* hooks check out only outputs whose pointer
 * differs from the previous revision's.
 */
#include "buildconf.h"

#include "hooks/hook.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cache.h"
#include "core/checkout.h"
#include "core/config.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/status.h"
#include "core/tree.h"
#include "core/work.h"
#include "core/xmalloc.h"

const struct cairn_error *hook_precommit_warns(bool *warn, struct work *w)
{
	const struct cairn_error *e;
	char *v = NULL;

	*warn = false;
	if ((e = config_get_str(&v, w->repo->cfg, "hooks.precommit")) != NULL)
		return e;
	if (v == NULL || strcasecmp(v, "error") == 0) {
		free(v);
		return NULL;
	}
	if (strcasecmp(v, "warn") == 0) {
		*warn = true;
		free(v);
		return NULL;
	}
	e = err_hint(err_new(CAIRN_ERR_FORMAT, "bad value '%s' for 'hooks.precommit'", v),
		     "use 'error' (the default) or 'warn'");
	free(v);
	return e;
}

/* The output at rel in a sorted list, or NULL. */
static const struct out *hook_find(const struct out_list *l, const char *rel)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rel, l->v[mid].rel);

		if (c == 0)
			return &l->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool hook_same_ptr(const struct out *a, const struct out *b)
{
	return a && b && a->ptr->type == b->ptr->type && oid_equal(&a->ptr->id, &b->ptr->id) &&
	       a->ptr->exec == b->ptr->exec;
}

/* The pointers of revision spec; an unknown revision (unborn HEAD) is empty. */
static const struct cairn_error *hook_rev_pointers(struct out_list *l, bool *known,
						   struct repo *r, const char *spec)
{
	const struct cairn_error *e;

	*known = false;
	if (spec == NULL)
		return NULL;
	e = rev_pointers(l, r, spec);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		out_list_release(l);
		return NULL;
	}
	*known = e == NULL;
	return e;
}

static const struct cairn_error *hook_file_cached(const char *path, struct tree_entry *te,
						  void *arg)
{
	const struct cache *c = arg;

	(void)path;
	if (!cache_has(c, &te->id))
		return err_new(CAIRN_ERR_NOT_FOUND, "not in the cache");
	return NULL;
}

/* Is all of o's data (every manifest and file) in the cache? */
static const struct cairn_error *hook_all_cached(bool *yes, struct cache *c, const struct out *o)
{
	const struct cairn_error *e;
	struct tree *t = NULL;

	*yes = cache_has(c, &o->ptr->id);
	if (!*yes || o->ptr->type != PTR_DIR)
		return NULL;
	e = tree_load(&t, c, &o->ptr->id);
	if (e == NULL)
		e = tree_walk_files(t, hook_file_cached, c);
	tree_free(t);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		*yes = false;
		return NULL;
	}
	return e ? err_wrap(e, "'%s'", o->rel) : NULL;
}

const struct cairn_error *hook_pre_commit(size_t *problems, struct work *w,
					  const char *index_file, hook_note_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct out_list staged = OUT_LIST_INIT, head = OUT_LIST_INIT;
	bool head_known;
	size_t i;

	*problems = 0;
	if ((e = rev_index_file_pointers(&staged, w->repo, index_file)) != NULL)
		goto done;
	if ((e = hook_rev_pointers(&head, &head_known, w->repo, "HEAD")) != NULL)
		goto done;
	for (i = 0; i < staged.n && e == NULL; i++) {
		const struct out *o = &staged.v[i];
		struct status_result res;
		bool cached;

		if (!hook_same_ptr(o, hook_find(&head, o->rel))) {
			if ((e = hook_all_cached(&cached, w->cache, o)) != NULL)
				break;
			if (!cached) {
				(*problems)++;
				cb(HOOK_NOT_CACHED, o, NULL, arg);
			}
		}
		if ((e = status_out(&res, w, o)) != NULL)
			break;
		if (res.kind == STATUS_MODIFIED) {
			(*problems)++;
			cb(HOOK_DIFFERS, o, NULL, arg);
		}
		status_result_release(&res);
	}
done:
	out_list_release(&staged);
	out_list_release(&head);
	return e;
}

/* Move o (taking its strings) to the end of l. */
static void hook_take(struct out_list *l, struct out *o)
{
	XGROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = *o;
	memset(o, 0, sizeof(*o));
}

const struct cairn_error *hook_checkout(size_t *problems, struct work *w, const char *prev,
					struct out_list *missing, hook_note_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct out_list outs = OUT_LIST_INIT, before = OUT_LIST_INIT;
	struct checkout_opts co;
	bool known;
	size_t i;

	*problems = 0;
	memset(&co, 0, sizeof(co));
	if ((e = out_collect_all(&outs, w->repo)) != NULL)
		goto done;
	if ((e = hook_rev_pointers(&before, &known, w->repo, prev)) != NULL)
		goto done;
	for (i = 0; i < outs.n; i++) {
		struct out *o = &outs.v[i];
		struct checkout_result res;
		const struct cairn_error *oe;

		if (known && hook_same_ptr(o, hook_find(&before, o->rel)))
			continue;
		oe = checkout_out(&res, w, o, &co);
		if (oe == NULL) {
			if (res.written || res.removed)
				cb(HOOK_RESTORED, o, NULL, arg);
		} else if (err_is(oe, CAIRN_ERR_WOULD_CLOBBER)) {
			cb(HOOK_KEPT, o, oe, arg);
		} else if (err_is(oe, CAIRN_ERR_NOT_FOUND)) {
			cb(HOOK_MISSING, o, oe, arg);
			if (missing)
				hook_take(missing, o);
		} else {
			(*problems)++;
			cb(HOOK_FAILED, o, oe, arg);
		}
	}
done:
	out_list_release(&outs);
	out_list_release(&before);
	return e;
}
