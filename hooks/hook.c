/*
 * hook.c: the logic of the pre-commit and post-checkout family of hooks.
 * Pointers are read from Git objects (core/rev.h); the work a hook does
 * grows with what changed: pre-commit checks the cache only for pointers
 * new since HEAD, and the post-* hooks check out only outputs (of pointer
 * files and of cairn.lock's stages) whose record differs from the previous
 * revision's.
 */
#include "buildconf.h"

#include "hooks/hook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/checkout.h"
#include "core/config.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/revset.h"
#include "core/revwalk.h"
#include "core/stageout.h"
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

/* Move o (taking its strings) to the end of l. */
static void hook_take(struct out_list *l, struct out *o)
{
	XGROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = *o;
	memset(o, 0, sizeof(*o));
}

/* A malformed pointer of the previous revision: its output counts as changed. */
static void hook_skip_bad(const char *ptr_rel, const struct cairn_error *e, const char *text,
			  size_t len, void *arg)
{
	(void)ptr_rel;
	(void)e;
	(void)text;
	(void)len;
	(void)arg;
}

static int hook_out_cmp(const void *a, const void *b)
{
	return strcmp(((const struct out *)a)->rel, ((const struct out *)b)->rel);
}

/*
 * The outputs of revision spec (pointer files and cairn.lock's stage
 * outputs), sorted, to tell what changed since; an unknown revision (unborn
 * HEAD) is empty. A malformed pointer or cairn.lock there (a committed
 * conflict being fixed now) is left out, so what it named counts as changed.
 */
static const struct cairn_error *hook_rev_pointers(struct out_list *l, bool *known,
						   struct repo *r, const char *spec)
{
	const struct cairn_error *e;
	struct out_list locked = OUT_LIST_INIT;
	size_t i;

	*known = false;
	if (spec == NULL)
		return NULL;
	e = rev_pointers_lenient(l, r, spec, NULL, hook_skip_bad, NULL);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		out_list_release(l);
		return NULL;
	}
	if (e)
		return e;
	e = stageout_rev_locked(&locked, r, spec);
	if (err_is(e, CAIRN_ERR_FORMAT))
		e = NULL;
	for (i = 0; e == NULL && i < locked.n; i++)
		hook_take(l, &locked.v[i]);
	out_list_release(&locked);
	if (e)
		return e;
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), hook_out_cmp);
	*known = true;
	return NULL;
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

#define HOOK_CONFIG_FILE ".cairn/config"

struct hook_secrets {
	size_t *problems;
	hook_note_cb cb;
	void *arg;
};

static const struct cairn_error *hook_secret_entry(const char *name, const char *value,
						   enum config_level level, void *arg)
{
	struct hook_secrets *s = arg;

	(void)value;
	(void)level;
	if (config_key_is_secret(name)) {
		(*s->problems)++;
		s->cb(HOOK_SECRET, NULL,
		      err_new(CAIRN_ERR_FAILED, "'%s' is a credential in the staged %s", name,
			      HOOK_CONFIG_FILE),
		      s->arg);
	}
	return NULL;
}

/* Credentials in the staged .cairn/config would be committed: each is a problem. */
static const struct cairn_error *hook_staged_secrets(size_t *problems, struct work *w,
						     const char *index_file, hook_note_cb cb,
						     void *arg)
{
	const struct cairn_error *e;
	struct hook_secrets s = { problems, cb, arg };
	struct buf b = BUF_INIT;
	bool found;

	buf_init(&b);
	e = rev_index_file_read(&b, &found, w->repo, index_file, HOOK_CONFIG_FILE,
				CONFIG_MAX_BYTES);
	if (e == NULL && found)
		e = config_text_foreach(b.s, b.len, w->repo->tmp_dir, hook_secret_entry, &s);
	if (err_is(e, CAIRN_ERR_FORMAT))
		e = err_wrap(e, "the staged %s", HOOK_CONFIG_FILE);
	buf_release(&b);
	return e;
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
	if (e == NULL)
		e = hook_staged_secrets(problems, w, index_file, cb, arg);
done:
	out_list_release(&staged);
	out_list_release(&head);
	return e;
}

const struct cairn_error *hook_checkout_outs(size_t *problems, struct work *w,
					     struct out_list *outs, struct out_list *missing,
					     hook_note_cb cb, void *arg)
{
	struct checkout_opts co;
	struct buf unsafe = BUF_INIT;
	size_t i;

	*problems = 0;
	memset(&co, 0, sizeof(co));
	buf_init(&unsafe);
	co.unsafe = &unsafe;
	for (i = 0; i < outs->n; i++) {
		struct out *o = &outs->v[i];
		struct checkout_result res;
		const struct cairn_error *oe;

		if (o->ptr == NULL)
			continue; /* taken */
		buf_reset(&unsafe);
		oe = checkout_out(&res, w, o, &co);
		if (oe == NULL) {
			if (res.written || res.removed)
				cb(HOOK_RESTORED, o, NULL, arg);
		} else if (err_is(oe, CAIRN_ERR_WOULD_CLOBBER)) {
			cb(HOOK_KEPT, o, err_new(CAIRN_ERR_WOULD_CLOBBER, "%s", unsafe.s), arg);
		} else if (err_is(oe, CAIRN_ERR_NOT_FOUND)) {
			cb(HOOK_MISSING, o, oe, arg);
			if (missing)
				hook_take(missing, o);
		} else {
			(*problems)++;
			cb(HOOK_FAILED, o, oe, arg);
		}
	}
	buf_release(&unsafe);
	return NULL;
}

const struct cairn_error *hook_checkout(size_t *problems, struct work *w, const char *prev,
					struct out_list *missing, hook_note_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct out_list outs = OUT_LIST_INIT, before = OUT_LIST_INIT;
	bool known;
	size_t i, k;

	*problems = 0;
	if ((e = stageout_collect(&outs, w->repo, NULL, 0)) != NULL) /* cairn.lock's outputs too */
		goto done;
	if ((e = hook_rev_pointers(&before, &known, w->repo, prev)) != NULL)
		goto done;
	/* only outputs whose pointer differs from the previous revision's */
	for (i = 0, k = 0; known && i < outs.n; i++) {
		if (hook_same_ptr(&outs.v[i], hook_find(&before, outs.v[i].rel))) {
			out_release(&outs.v[i]);
			continue;
		}
		outs.v[k++] = outs.v[i];
	}
	if (known)
		outs.n = k;
	e = hook_checkout_outs(problems, w, &outs, missing, cb, arg);
done:
	out_list_release(&outs);
	out_list_release(&before);
	return e;
}

const struct cairn_error *hook_autopull(bool *on, struct work *w)
{
	return config_get_bool(on, w->repo->cfg, "core.autopull", false);
}

/* ---- pre-push ---- */

struct hook_push {
	struct out_list *outs;
	struct repo *r;
	struct oidset seen;
	rev_bad_cb bad; /* older commits only; NULL for the tips */
	void *bad_arg;
};

static const struct cairn_error *hook_push_commit(const char *hex, const char *what, void *arg)
{
	struct hook_push *p = arg;

	(void)what;
	return revset_commit_outs(p->outs, p->r, hex, NULL, 0, &p->seen, p->bad, p->bad_arg);
}

static bool hook_is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n != 40 && n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Parse one line of pre-push input into its local and remote ids; false for an empty line. */
static const struct cairn_error *hook_push_line(bool *any, char local[65], char remote[65],
						const char *line, size_t len)
{
	char *copy = xstrndup(line, len), *f[4], *save = NULL, *tok;
	const struct cairn_error *e = NULL;
	int n = 0;

	*any = false;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (n++ < 4)
			f[n - 1] = tok;
	if (n == 0) {
		free(copy);
		return NULL;
	}
	if (n != 4 || !hook_is_hex_id(f[1], strlen(f[1])) || !hook_is_hex_id(f[3], strlen(f[3])))
		e = err_new(CAIRN_ERR_USAGE, "malformed pre-push input line '%.*s'",
			    (int)(len > 200 ? 200 : len), line);
	else if (strspn(f[1], "0") != strlen(f[1])) { /* a deletion pushes nothing */
		*any = true;
		snprintf(local, 65, "%s", f[1]);
		snprintf(remote, 65, "%s", f[3]);
	}
	free(copy);
	return e;
}

const struct cairn_error *hook_pre_push_outs(struct out_list *outs, size_t *ntips, struct repo *r,
					     const char *input, rev_bad_cb bad, void *arg)
{
	const struct cairn_error *e = NULL;
	struct hook_push p;
	int pass;

	memset(&p, 0, sizeof(p));
	p.outs = outs;
	p.r = r;
	oidset_init(&p.seen);
	*ntips = 0;
	/* pass 0: the whole tree of each pushed tip; pass 1: the commits behind them */
	for (pass = 0; pass < 2 && e == NULL; pass++) {
		const char *line = input;

		while (e == NULL && line && *line) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			char local[65], remote[65];
			bool any;

			e = hook_push_line(&any, local, remote, line, len);
			if (e == NULL && any) {
				p.bad = pass == 0 ? NULL : bad;
				p.bad_arg = arg;
				if (pass == 0)
					e = revwalk_first_parents(r, local, 1, hook_push_commit, &p);
				else
					e = revwalk_new(r, local, remote, hook_push_commit, &p);
				if (err_is(e, CAIRN_ERR_NOT_FOUND))
					e = NULL; /* a tag of a blob or a tree: no commit */
			}
			line = end ? end + 1 : NULL;
		}
		if (pass == 0)
			*ntips = outs->n;
	}
	oidset_release(&p.seen);
	return e;
}
