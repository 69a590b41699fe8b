/*
 * revwalk.c: commit enumerations over libgit2: refs by prefix, the whole
 * history, first parents, push ranges, stash entries and work trees.
 * Callback errors cross libgit2's C callbacks through an err_copy.
 */
#include "buildconf.h"

#include "core/revwalk.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/repo.h"
#include "core/xmalloc.h"

struct revwalk_ref {
	char *name;
	git_oid id;
};

static int revwalk_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct revwalk_ref *)a)->name, ((const struct revwalk_ref *)b)->name);
}

/* Every ref under prefix ("" for all) that leads to a commit, sorted by name. */
static const struct cairn_error *revwalk_collect(struct revwalk_ref **out, size_t *n,
						 struct repo *r, const char *prefix)
{
	git_reference_iterator *it;
	git_reference *ref;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (git_reference_iterator_new(&it, r->git) < 0)
		return err_git("list the refs");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);
		git_object *obj = NULL;

		if (strncmp(name, prefix, strlen(prefix)) == 0 &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			XGROW(*out, *n + 1, cap);
			(*out)[*n].name = xstrdup(name);
			git_oid_cpy(&(*out)[*n].id, git_object_id(obj));
			(*n)++;
		}
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (rc != GIT_ITEROVER) {
		size_t i;

		for (i = 0; i < *n; i++)
			free((*out)[i].name);
		free(*out);
		*out = NULL;
		*n = 0;
		return err_git_code(rc, "list the refs");
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), revwalk_ref_cmp);
	return NULL;
}

static void revwalk_refs_free(struct revwalk_ref *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

const struct cairn_error *revwalk_refs(struct repo *r, const char *prefix, revwalk_cb cb,
				       void *arg)
{
	const struct cairn_error *e;
	struct revwalk_ref *v;
	char hex[GIT_OID_HEXSZ + 1];
	size_t n, i;

	if ((e = revwalk_collect(&v, &n, r, prefix)) != NULL)
		return e;
	for (i = 0; i < n && e == NULL; i++) {
		git_oid_tostr(hex, sizeof(hex), &v[i].id);
		e = cb(hex, v[i].name, arg);
	}
	revwalk_refs_free(v, n);
	return e;
}

/* Run a prepared walk, calling cb for each commit. Frees w. */
static const struct cairn_error *revwalk_run(git_revwalk *w, const char *what, revwalk_cb cb,
					     void *arg)
{
	const struct cairn_error *e = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;
	int rc;

	while (e == NULL && (rc = git_revwalk_next(&id, w)) == 0) {
		git_oid_tostr(hex, sizeof(hex), &id);
		e = cb(hex, what, arg);
	}
	if (e == NULL && rc != GIT_ITEROVER)
		e = err_git_code(rc, "walk the history");
	git_revwalk_free(w);
	return e;
}

const struct cairn_error *revwalk_all(struct repo *r, revwalk_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct revwalk_ref *v;
	git_revwalk *w;
	size_t n, i;
	int rc;

	if ((e = revwalk_collect(&v, &n, r, "")) != NULL)
		return e;
	if (git_revwalk_new(&w, r->git) < 0) {
		revwalk_refs_free(v, n);
		return err_git("walk the history");
	}
	git_revwalk_sorting(w, GIT_SORT_TIME);
	for (i = 0; i < n; i++) {
		if ((rc = git_revwalk_push(w, &v[i].id)) < 0) {
			e = err_git_code(rc, "walk the history from '%s'", v[i].name);
			break;
		}
	}
	revwalk_refs_free(v, n);
	/* an unborn HEAD (no commit yet, git checkout --orphan) adds nothing */
	rc = e || git_repository_head_unborn(r->git) == 1 ? 0 : git_revwalk_push_head(w);
	if (e == NULL && rc < 0 && rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH)
		e = err_git_code(rc, "walk the history from HEAD");
	if (e) {
		git_revwalk_free(w);
		return e;
	}
	return revwalk_run(w, "commit", cb, arg);
}

static const struct cairn_error *revwalk_commit(git_commit **out, struct repo *r,
						const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	rc = git_revparse_single(&obj, r->git, spec);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC)
		return err_new(CAIRN_ERR_NOT_FOUND, "unknown revision '%s'", spec);
	if (rc < 0)
		return err_git_code(rc, "revision '%s'", spec);
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return err_new(CAIRN_ERR_USAGE, "revision '%s' is not a commit", spec);
	*out = (git_commit *)peeled;
	return NULL;
}

const struct cairn_error *revwalk_first_parents(struct repo *r, const char *spec, int n,
						revwalk_cb cb, void *arg)
{
	const struct cairn_error *e;
	char hex[GIT_OID_HEXSZ + 1], *what;
	git_commit *c = NULL, *p;
	int i;

	if ((e = revwalk_commit(&c, r, spec)) != NULL)
		return e;
	for (i = 0; i < n && e == NULL; i++) {
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		what = i ? xasprintf("%s~%d", spec, i) : xstrdup(spec);
		e = cb(hex, what, arg);
		free(what);
		if (e || git_commit_parentcount(c) == 0)
			break;
		if (git_commit_parent(&p, c, 0) < 0) {
			e = err_git("the parent of '%s~%d'", spec, i);
			break;
		}
		git_commit_free(c);
		c = p;
	}
	git_commit_free(c);
	return e;
}

/* The commit a hex id names in this repository (a tag is peeled), or false. */
static bool revwalk_known_commit(git_oid *id, struct repo *r, const char *hex)
{
	git_object *obj, *peeled;

	if (hex == NULL || git_oid_fromstr(id, hex) < 0 || git_oid_is_zero(id))
		return false;
	if (git_object_lookup(&obj, r->git, id, GIT_OBJECT_ANY) < 0)
		return false;
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return false;
	}
	git_oid_cpy(id, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return true;
}

const struct cairn_error *revwalk_new(struct repo *r, const char *hex, const char *hide,
				      revwalk_cb cb, void *arg)
{
	git_revwalk *w;
	git_oid id, hid;

	if (!revwalk_known_commit(&id, r, hex))
		return err_new(CAIRN_ERR_NOT_FOUND, "unknown commit '%s'", hex);
	if (git_revwalk_new(&w, r->git) < 0)
		return err_git("walk the history");
	git_revwalk_sorting(w, GIT_SORT_TIME);
	if (git_revwalk_push(w, &id) < 0 ||
	    (revwalk_known_commit(&hid, r, hide) && git_revwalk_hide(w, &hid) < 0)) {
		git_revwalk_free(w);
		return err_git("walk the history of '%s'", hex);
	}
	return revwalk_run(w, "commit", cb, arg);
}

struct revwalk_stash_run {
	struct repo *r;
	revwalk_cb cb;
	void *arg;
	struct err_copy err;
	bool failed;
};

static const char *const revwalk_stash_part[] = { "", " index", " untracked" };

static int revwalk_stash_cb(size_t index, const char *message, const git_oid *stash_id,
			    void *payload)
{
	struct revwalk_stash_run *s = payload;
	const struct cairn_error *e = NULL;
	char hex[GIT_OID_HEXSZ + 1], what[64];
	git_commit *c;
	unsigned k;

	(void)message;
	if (git_commit_lookup(&c, s->r->git, stash_id) < 0) {
		e = err_git("read stash@{%zu}", index);
	} else {
		/* the work tree state, then parents 2 (index) and 3 (untracked files) */
		for (k = 0; k < 3 && e == NULL; k++) {
			const git_oid *id = k == 0 ? git_commit_id(c) : git_commit_parent_id(c, k);

			if (id == NULL)
				continue;
			git_oid_tostr(hex, sizeof(hex), id);
			snprintf(what, sizeof(what), "stash@{%zu}%s", index, revwalk_stash_part[k]);
			e = s->cb(hex, what, s->arg);
		}
		git_commit_free(c);
	}
	if (e) {
		err_save(&s->err, e);
		s->failed = true;
		return -1;
	}
	return 0;
}

const struct cairn_error *revwalk_stash(struct repo *r, revwalk_cb cb, void *arg)
{
	struct revwalk_stash_run s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.cb = cb;
	s.arg = arg;
	rc = git_stash_foreach(r->git, revwalk_stash_cb, &s);
	if (s.failed)
		return err_load(&s.err);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return err_git_code(rc, "read the stash");
	return NULL;
}

/* Call cb for a work tree folder, unless it is r's own; a missing folder is an error. */
static const struct cairn_error *revwalk_one_tree(struct repo *r, const char *path,
						  const char *name, revwalk_tree_cb cb, void *arg)
{
	const struct cairn_error *e;
	char *real = realpath(path, NULL), *root;
	struct stat st;

	if (real == NULL || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "the work tree '%s' at '%s' is missing",
				     name, path),
			     "mount it, or remove it with 'git worktree prune' or "
			     "'git worktree remove'");
		free(real);
		return e;
	}
	root = fs_join(real, "");
	if (strlen(root) > 1 && root[strlen(root) - 1] == '/')
		root[strlen(root) - 1] = '\0';
	e = strcmp(root, r->root) == 0 ? NULL : cb(root, name, arg);
	free(root);
	free(real);
	return e;
}

const struct cairn_error *revwalk_worktrees(struct repo *r, revwalk_tree_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	git_strarray names = { NULL, 0 };
	size_t i;

	if (git_repository_is_worktree(r->git)) {
		git_repository *main = NULL;

		if (git_repository_open(&main, git_repository_commondir(r->git)) < 0)
			return err_git("open the main work tree");
		if (!git_repository_is_bare(main) && git_repository_workdir(main))
			e = revwalk_one_tree(r, git_repository_workdir(main), "main", cb, arg);
		git_repository_free(main);
		if (e)
			return e;
	}
	if (git_worktree_list(&names, r->git) < 0)
		return err_git("list the work trees");
	for (i = 0; i < names.count && e == NULL; i++) {
		git_worktree *wt;

		if (git_worktree_lookup(&wt, r->git, names.strings[i]) < 0) {
			e = err_git("read the work tree '%s'", names.strings[i]);
			break;
		}
		e = revwalk_one_tree(r, git_worktree_path(wt), names.strings[i], cb, arg);
		git_worktree_free(wt);
	}
	git_strarray_dispose(&names);
	return e;
}
