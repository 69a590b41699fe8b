/*
 * revwalk.c: commit enumerations over libgit2: refs by prefix, the whole
 * history, first parents, push ranges, stash entries and work trees.
 * Callback errors cross libgit2's C callbacks through an err_copy. In a
 * shallow clone the history is walked here, stopping at the boundary
 * commits Git lists in <git dir>/shallow (whose parents are not in the
 * clone), since git_revwalk fails on their missing parents.
 */
#include "buildconf.h"

#include "core/revwalk.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/oidset.h"
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

/* ---- shallow clones ---- */

/* A Git id as a set key (zero-padded). */
static void revwalk_key(struct oid *key, const git_oid *id)
{
	memset(key, 0, sizeof(*key));
	memcpy(key->b, id->id, sizeof(id->id) < sizeof(key->b) ? sizeof(id->id) : sizeof(key->b));
}

/* The boundary commits of a shallow clone; false when r is not shallow. */
static bool revwalk_boundary(struct oidset *out, struct repo *r)
{
	struct buf b = BUF_INIT;
	char *path;
	const char *line;

	oidset_init(out);
	if (git_repository_is_shallow(r->git) != 1)
		return false;
	buf_init(&b);
	path = fs_join(git_repository_commondir(r->git), "shallow");
	if (fs_read_file(&b, path, 64u << 20) == NULL) {
		for (line = b.s; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			git_oid id;
			struct oid key;

			if (git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) == 0) {
				revwalk_key(&key, &id);
				oidset_add(out, &key);
			}
		}
	}
	free(path);
	buf_release(&b);
	return true;
}

struct revwalk_found {
	struct oidset seen;  /* commits reached */
	git_oid *ids;        /* the same, with their commit times */
	int64_t *times;
	size_t n, cap, tcap;
};

/*
 * Add to f every commit reachable from start that f does not hold yet and
 * stop does not hold, without following the parents of boundary commits.
 */
static const struct cairn_error *revwalk_reach(struct revwalk_found *f, struct repo *r,
					       const git_oid *start, const struct oidset *boundary,
					       const struct oidset *stop)
{
	const struct cairn_error *e = NULL;
	git_oid *stack = NULL;
	size_t depth = 0, cap = 0;

	XGROW(stack, depth + 1, cap);
	git_oid_cpy(&stack[depth++], start);
	while (depth && e == NULL) {
		git_oid id = stack[--depth];
		struct oid key;
		git_commit *c;
		unsigned k;

		revwalk_key(&key, &id);
		if ((stop && oidset_has(stop, &key)) || !oidset_add(&f->seen, &key))
			continue;
		if (git_commit_lookup(&c, r->git, &id) < 0) {
			e = err_git("walk the history");
			break;
		}
		XGROW(f->ids, f->n + 1, f->cap);
		XGROW(f->times, f->n + 1, f->tcap);
		git_oid_cpy(&f->ids[f->n], &id);
		f->times[f->n++] = (int64_t)git_commit_time(c);
		for (k = 0; !oidset_has(boundary, &key) && k < git_commit_parentcount(c); k++) {
			XGROW(stack, depth + 1, cap);
			git_oid_cpy(&stack[depth++], git_commit_parent_id(c, k));
		}
		git_commit_free(c);
	}
	free(stack);
	return e;
}

static void revwalk_found_release(struct revwalk_found *f)
{
	oidset_release(&f->seen);
	free(f->ids);
	free(f->times);
	memset(f, 0, sizeof(*f));
}

static const struct revwalk_found *revwalk_sort_by;

static int revwalk_time_cmp(const void *a, const void *b)
{
	int64_t ta = revwalk_sort_by->times[*(const size_t *)a];
	int64_t tb = revwalk_sort_by->times[*(const size_t *)b];

	return ta < tb ? 1 : ta > tb ? -1 : 0;
}

/* Call cb for every commit of f, newest first; releases f. */
static const struct cairn_error *revwalk_found_run(struct revwalk_found *f, revwalk_cb cb,
						   void *arg)
{
	const struct cairn_error *e = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	size_t *order = xcalloc(f->n ? f->n : 1, sizeof(*order)), i;

	for (i = 0; i < f->n; i++)
		order[i] = i;
	revwalk_sort_by = f;
	if (f->n > 1)
		qsort(order, f->n, sizeof(*order), revwalk_time_cmp);
	for (i = 0; i < f->n && e == NULL; i++) {
		git_oid_tostr(hex, sizeof(hex), &f->ids[order[i]]);
		e = cb(hex, "commit", arg);
	}
	free(order);
	revwalk_found_release(f);
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
	struct revwalk_found f;
	struct oidset boundary;
	struct revwalk_ref *v;
	git_revwalk *w;
	size_t n, i;
	int rc;

	if ((e = revwalk_collect(&v, &n, r, "")) != NULL)
		return e;
	if (revwalk_boundary(&boundary, r)) {
		git_oid head;

		memset(&f, 0, sizeof(f));
		oidset_init(&f.seen);
		for (i = 0; i < n && e == NULL; i++)
			e = revwalk_reach(&f, r, &v[i].id, &boundary, NULL);
		if (e == NULL && git_repository_head_unborn(r->git) != 1 &&
		    git_reference_name_to_id(&head, r->git, "HEAD") == 0)
			e = revwalk_reach(&f, r, &head, &boundary, NULL);
		revwalk_refs_free(v, n);
		oidset_release(&boundary);
		if (e) {
			revwalk_found_release(&f);
			return e;
		}
		return revwalk_found_run(&f, cb, arg);
	}
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
	struct oidset boundary;
	struct oid key;
	int i;

	if ((e = revwalk_commit(&c, r, spec)) != NULL)
		return e;
	revwalk_boundary(&boundary, r);
	for (i = 0; i < n && e == NULL; i++) {
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		what = i ? xasprintf("%s~%d", spec, i) : xstrdup(spec);
		e = cb(hex, what, arg);
		free(what);
		revwalk_key(&key, git_commit_id(c));
		/* a shallow clone's boundary commit: its parents are not here */
		if (e || git_commit_parentcount(c) == 0 || oidset_has(&boundary, &key))
			break;
		if (git_commit_parent(&p, c, 0) < 0) {
			e = err_git("the parent of '%s~%d'", spec, i);
			break;
		}
		git_commit_free(c);
		c = p;
	}
	git_commit_free(c);
	oidset_release(&boundary);
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
	struct oidset boundary;
	git_revwalk *w;
	git_oid id, hid;

	if (!revwalk_known_commit(&id, r, hex))
		return err_new(CAIRN_ERR_NOT_FOUND, "unknown commit '%s'", hex);
	if (revwalk_boundary(&boundary, r)) {
		const struct cairn_error *e = NULL;
		struct revwalk_found hidden, f;

		memset(&hidden, 0, sizeof(hidden));
		memset(&f, 0, sizeof(f));
		oidset_init(&hidden.seen);
		oidset_init(&f.seen);
		if (revwalk_known_commit(&hid, r, hide))
			e = revwalk_reach(&hidden, r, &hid, &boundary, NULL);
		if (e == NULL)
			e = revwalk_reach(&f, r, &id, &boundary, &hidden.seen);
		oidset_release(&boundary);
		revwalk_found_release(&hidden);
		if (e) {
			revwalk_found_release(&f);
			return e;
		}
		return revwalk_found_run(&f, cb, arg);
	}
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
