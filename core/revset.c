/*
 * revset.c: outputs of revision sets, as commit walks (core/revwalk.h)
 * feeding rev_pointers_unseen (and each revision's cairn.lock outputs),
 * filtered by path.
 */
#include "buildconf.h"

#include "core/revset.h"

#include <stdlib.h>
#include <string.h>

#include "core/lockfile.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/rev.h"
#include "core/revwalk.h"
#include "core/stageout.h"
#include "core/xmalloc.h"

bool revset_any(const struct revset_opts *o)
{
	return o && (o->nrevs || o->all_branches || o->all_tags || o->all_commits);
}

struct revset_run {
	struct out_list *l;
	struct repo *r;
	char *const *paths;
	size_t npaths;
	struct oidset *seen;
	rev_bad_cb bad; /* malformed pointers and cairn.lock, or NULL: errors */
	void *bad_arg;
};

static bool revset_wanted(const char *rel, char *const *paths, size_t npaths)
{
	size_t i;

	if (npaths == 0)
		return true;
	for (i = 0; i < npaths; i++) {
		size_t n = strlen(paths[i]);

		if (n == 0 || (strncmp(rel, paths[i], n) == 0 && (rel[n] == '\0' || rel[n] == '/')))
			return true;
	}
	return false;
}

static const struct cairn_error *revset_commit(const char *hex, const char *what, void *arg)
{
	struct revset_run *s = arg;
	struct out_list l = OUT_LIST_INIT;
	const struct cairn_error *e;
	size_t i;

	/* pointer files and the stage outputs the revision's cairn.lock records */
	e = rev_pointers_lenient(&l, s->r, hex, s->seen, s->bad, s->bad_arg);
	if (e == NULL && (e = stageout_rev_locked(&l, s->r, hex)) != NULL && s->bad &&
	    err_is(e, CAIRN_ERR_FORMAT)) {
		s->bad(LOCKFILE_NAME, e, NULL, 0, s->bad_arg);
		e = NULL;
	}
	if (e) {
		out_list_release(&l);
		return err_wrap(e, "%s", what);
	}
	for (i = 0; i < l.n; i++) {
		if (!revset_wanted(l.v[i].rel, s->paths, s->npaths))
			continue;
		XGROW(s->l->v, s->l->n + 1, s->l->cap);
		s->l->v[s->l->n++] = l.v[i];
		memset(&l.v[i], 0, sizeof(l.v[i]));
	}
	out_list_release(&l);
	return NULL;
}

const struct cairn_error *revset_commit_outs(struct out_list *l, struct repo *r,
					     const char *spec, char *const *paths, size_t npaths,
					     struct oidset *seen, rev_bad_cb bad, void *arg)
{
	struct revset_run s = { l, r, paths, npaths, seen, bad, arg };

	return revset_commit(spec, spec, &s);
}

const struct cairn_error *revset_outs(struct out_list *l, struct repo *r,
				      const struct revset_opts *o, char *const *paths,
				      size_t npaths, struct oidset *seen)
{
	struct revset_run s = { l, r, paths, npaths, seen, NULL, NULL };
	const struct cairn_error *e = NULL;
	size_t i;

	for (i = 0; e == NULL && i < o->nrevs; i++)
		e = revwalk_first_parents(r, o->revs[i], 1, revset_commit, &s);
	if (e == NULL && o->all_branches)
		e = revwalk_refs(r, "refs/heads/", revset_commit, &s);
	if (e == NULL && o->all_tags)
		e = revwalk_refs(r, "refs/tags/", revset_commit, &s);
	if (e == NULL && o->all_commits)
		e = revwalk_all(r, revset_commit, &s);
	return e;
}
