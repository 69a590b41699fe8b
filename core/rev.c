/*
 * rev.c: reading cairn's files out of Git objects (commit trees and the
 * index) with libgit2. Pointer blobs are size-checked before they are read
 * and parsed with the same validation as workspace pointers.
 */
#include "buildconf.h"

#include "core/rev.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/xmalloc.h"

#define REV_SUFFIX_LEN (sizeof(PTR_SUFFIX) - 1)

static const struct cairn_error *rev_commit(git_commit **out, struct repo *r, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	rc = git_revparse_single(&obj, r->git, spec);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC)
		return err_new(rc == GIT_EAMBIGUOUS ? CAIRN_ERR_USAGE : CAIRN_ERR_NOT_FOUND,
			       "unknown revision '%s'", spec);
	if (rc < 0)
		return err_git_code(rc, "revision '%s'", spec);
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return err_new(CAIRN_ERR_USAGE, "revision '%s' is not a commit", spec);
	*out = (git_commit *)peeled;
	return NULL;
}

static const struct cairn_error *rev_tree(git_tree **out, struct repo *r, const char *spec)
{
	const struct cairn_error *e;
	git_commit *c;
	int rc;

	if ((e = rev_commit(&c, r, spec)) != NULL)
		return e;
	rc = git_commit_tree(out, c);
	git_commit_free(c);
	if (rc < 0)
		return err_git_code(rc, "tree of '%s'", spec);
	return NULL;
}

const struct cairn_error *rev_resolve(char hex[REV_HEXLEN + 1], struct repo *r, const char *spec)
{
	const struct cairn_error *e;
	git_commit *c;

	if ((e = rev_commit(&c, r, spec)) != NULL)
		return e;
	git_oid_tostr(hex, REV_HEXLEN + 1, git_commit_id(c));
	git_commit_free(c);
	return NULL;
}

/* Append a blob's bytes to out; FORMAT past max. */
static const struct cairn_error *rev_blob(struct buf *out, struct repo *r, const git_oid *id,
					  size_t max, const char *path, const char *where)
{
	git_blob *blob;
	git_object_size_t n;
	git_object_t type;
	git_odb *odb;
	size_t hn;

	/*
	 * The size from the object's header first: git_blob_lookup inflates
	 * the whole blob, and a few MB of packed zeros named x.cairn in a
	 * clone's history are gigabytes of memory.
	 */
	if (git_repository_odb(&odb, r->git) < 0)
		return err_git("read '%s' at %s", path, where);
	if (git_odb_read_header(&hn, &type, odb, id) == 0 && hn > max) {
		git_odb_free(odb);
		return err_new(CAIRN_ERR_FORMAT, "'%s' at %s is too large (%llu bytes)", path, where,
			       (unsigned long long)hn);
	}
	git_odb_free(odb);
	if (git_blob_lookup(&blob, r->git, id) < 0)
		return err_git("read '%s' at %s", path, where);
	n = git_blob_rawsize(blob);
	if (n > (git_object_size_t)max) {
		git_blob_free(blob);
		return err_new(CAIRN_ERR_FORMAT, "'%s' at %s is too large (%llu bytes)", path, where,
			       (unsigned long long)n);
	}
	buf_add(out, git_blob_rawcontent(blob), (size_t)n);
	git_blob_free(blob);
	return NULL;
}

const struct cairn_error *rev_read_file(struct buf *out, bool *found, struct repo *r,
					const char *spec, const char *path, size_t max)
{
	const struct cairn_error *e;
	git_tree_entry *ent = NULL;
	git_tree *tree;
	int rc;

	*found = false;
	if ((e = rev_tree(&tree, r, spec)) != NULL)
		return e;
	rc = git_tree_entry_bypath(&ent, tree, path);
	if (rc == GIT_ENOTFOUND) {
		git_tree_free(tree);
		return NULL;
	}
	if (rc < 0) {
		e = err_git_code(rc, "read '%s' at '%s'", path, spec);
		git_tree_free(tree);
		return e;
	}
	if (git_tree_entry_type(ent) == GIT_OBJECT_BLOB &&
	    (git_tree_entry_filemode(ent) == GIT_FILEMODE_BLOB ||
	     git_tree_entry_filemode(ent) == GIT_FILEMODE_BLOB_EXECUTABLE)) {
		e = rev_blob(out, r, git_tree_entry_id(ent), max, path, spec);
		*found = e == NULL;
	}
	git_tree_entry_free(ent);
	git_tree_free(tree);
	return e;
}

static bool rev_is_pointer_name(const char *name)
{
	size_t n = strlen(name);

	return n > REV_SUFFIX_LEN && strcmp(name + n - REV_SUFFIX_LEN, PTR_SUFFIX) == 0;
}

/* Parse the pointer blob id at ptr_rel into a new entry of l. */
static const struct cairn_error *rev_add_pointer(struct out_list *l, struct repo *r,
						 const char *ptr_rel, const git_oid *id,
						 const char *where, rev_bad_cb bad, void *bad_arg)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	struct out *o;
	char *display;

	buf_init(&b);
	if ((e = rev_blob(&b, r, id, PTR_MAX_BYTES, ptr_rel, where)) != NULL) {
		buf_release(&b);
		return e;
	}
	XGROW(l->v, l->n + 1, l->cap);
	o = &l->v[l->n];
	memset(o, 0, sizeof(*o));
	display = xasprintf("%s (at %s)", ptr_rel, where);
	e = ptr_parse(&o->ptr, b.s, b.len, display);
	free(display);
	if (e && bad && err_is(e, CAIRN_ERR_FORMAT)) {
		bad(ptr_rel, e, b.s, b.len, bad_arg);
		e = NULL;
		buf_release(&b);
		return NULL;
	}
	buf_release(&b);
	if (e)
		return e;
	o->ptr_rel = xstrdup(ptr_rel);
	o->rel = xstrndup(ptr_rel, strlen(ptr_rel) - REV_SUFFIX_LEN);
	o->dir = strchr(o->rel, '/') ? fs_dirname(o->rel) : xstrdup("");
	o->name = fs_basename(o->rel);
	l->n++;
	if (strcmp(o->ptr->path, o->name) != 0 && bad == NULL)
		return err_new(CAIRN_ERR_FORMAT, "pointer '%s' at %s tracks '%s'; expected '%s'",
			       ptr_rel, where, o->ptr->path, o->name);
	return NULL;
}

struct rev_walk {
	struct out_list *l;
	struct repo *r;
	const char *where;
	struct oidset *seen; /* trees and pointer blobs met before, or NULL */
	rev_bad_cb bad;      /* malformed pointers go here, or are errors (NULL) */
	void *bad_arg;
	struct err_copy err;
	bool failed;
};

/* Add a Git object id to seen; false when it was there (or seen is NULL: never). */
static bool rev_first_sight(struct oidset *seen, const git_oid *id)
{
	struct oid key;

	if (seen == NULL)
		return true;
	memset(&key, 0, sizeof(key));
	memcpy(key.b, id->id, sizeof(id->id) < sizeof(key.b) ? sizeof(id->id) : sizeof(key.b));
	return oidset_add(seen, &key);
}

static int rev_walk_cb(const char *root, const git_tree_entry *ent, void *arg)
{
	struct rev_walk *w = arg;
	const struct cairn_error *e;
	const char *name = git_tree_entry_name(ent);
	char *path;

	if (git_tree_entry_type(ent) == GIT_OBJECT_TREE)
		return rev_first_sight(w->seen, git_tree_entry_id(ent)) ? 0 : 1; /* 1: skip it */
	if (git_tree_entry_filemode(ent) != GIT_FILEMODE_BLOB &&
	    git_tree_entry_filemode(ent) != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0;
	if (!rev_is_pointer_name(name) || !rev_first_sight(w->seen, git_tree_entry_id(ent)))
		return 0;
	path = xasprintf("%s%s", root, name);
	e = rev_add_pointer(w->l, w->r, path, git_tree_entry_id(ent), w->where, w->bad, w->bad_arg);
	free(path);
	if (e) {
		err_save(&w->err, e);
		w->failed = true;
		return -1;
	}
	return 0;
}

static int rev_out_cmp(const void *a, const void *b)
{
	return strcmp(((const struct out *)a)->rel, ((const struct out *)b)->rel);
}

const struct cairn_error *rev_pointers(struct out_list *l, struct repo *r, const char *spec)
{
	return rev_pointers_unseen(l, r, spec, NULL);
}

const struct cairn_error *rev_pointers_unseen(struct out_list *l, struct repo *r, const char *spec,
					      struct oidset *seen)
{
	return rev_pointers_lenient(l, r, spec, seen, NULL, NULL);
}

const struct cairn_error *rev_pointers_lenient(struct out_list *l, struct repo *r,
					       const char *spec, struct oidset *seen,
					       rev_bad_cb bad, void *arg)
{
	const struct cairn_error *e;
	struct rev_walk w;
	git_tree *tree;
	int rc;

	if ((e = rev_tree(&tree, r, spec)) != NULL)
		return e;
	memset(&w, 0, sizeof(w));
	w.l = l;
	w.r = r;
	w.where = spec;
	w.seen = seen;
	w.bad = bad;
	w.bad_arg = arg;
	if (!rev_first_sight(seen, git_tree_id(tree))) {
		git_tree_free(tree);
		return NULL; /* the same tree as a revision read before */
	}
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, rev_walk_cb, &w);
	git_tree_free(tree);
	if (w.failed)
		return err_load(&w.err);
	if (rc < 0)
		return err_git_code(rc, "read the tree of '%s'", spec);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), rev_out_cmp);
	return NULL;
}

/* The index's pointers: stage 0, or every stage with all_stages. */
static const struct cairn_error *rev_index_walk(struct out_list *l, struct repo *r, git_index *idx,
					       bool all_stages, rev_bad_cb bad, void *arg)
{
	static const char *const where[] = { "the index", "the merge base in the index",
					     "ours in the index", "theirs in the index" };
	const struct cairn_error *e = NULL;
	size_t i, n;

	n = git_index_entrycount(idx);
	for (i = 0; i < n && e == NULL; i++) {
		const git_index_entry *ent = git_index_get_byindex(idx, i);
		int stage = ent ? git_index_entry_stage(ent) : 0;

		if (ent == NULL || (stage != 0 && !all_stages) || stage < 0 || stage > 3)
			continue;
		if (ent->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD)
			continue; /* git add -N: an empty placeholder, nothing staged yet */
		if ((ent->mode != GIT_FILEMODE_BLOB && ent->mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
		    !rev_is_pointer_name(fs_basename(ent->path)))
			continue;
		e = rev_add_pointer(l, r, ent->path, &ent->id, where[stage], bad, arg);
		if (e && err_is(e, CAIRN_ERR_FORMAT) && e->hint == NULL)
			e = err_hint(e, "fix it in the work tree (cairn add writes it again; in a merge "
					"conflict, git checkout --ours (or --theirs) -- '%s' keeps one "
					"side), then git add it", ent->path);
	}
	if (e == NULL && l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), rev_out_cmp);
	return e;
}

const struct cairn_error *rev_index_pointers(struct out_list *l, struct repo *r, rev_bad_cb bad,
					     void *arg)
{
	const struct cairn_error *e;
	git_index *idx;

	if (git_repository_index(&idx, r->git) < 0)
		return err_git("read the git index");
	e = rev_index_walk(l, r, idx, true, bad, arg);
	git_index_free(idx);
	return e;
}

/* The index in the file at path, or the repository's (NULL). */
static const struct cairn_error *rev_index_open(git_index **idx, struct repo *r, const char *path)
{
	struct stat st;

	if (path == NULL)
		return git_repository_index(idx, r->git) < 0 ? err_git("read the git index") : NULL;
	/* libgit2 opens a missing file as an empty index: that would pass */
	if (stat(path, &st) < 0)
		return err_errno("read the git index '%s'", path);
	if (git_index_open(idx, path) < 0)
		return err_git("read the git index '%s'", path);
	return NULL;
}

/* The bytes of path at stage in the index file at index_path (NULL: the repository's). */
static const struct cairn_error *rev_index_read(struct buf *out, bool *found, struct repo *r,
						const char *index_path, const char *path, int stage,
						size_t max)
{
	const struct cairn_error *e;
	const git_index_entry *ent;
	git_index *idx;

	*found = false;
	if ((e = rev_index_open(&idx, r, index_path)) != NULL)
		return e;
	ent = git_index_get_bypath(idx, path, stage);
	if (ent && (ent->mode == GIT_FILEMODE_BLOB || ent->mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
		e = rev_blob(out, r, &ent->id, max, path, "the index");
		*found = e == NULL;
	}
	git_index_free(idx);
	return e;
}

const struct cairn_error *rev_index_read_file(struct buf *out, bool *found, struct repo *r,
					      const char *path, int stage, size_t max)
{
	return rev_index_read(out, found, r, NULL, path, stage, max);
}

const struct cairn_error *rev_index_file_pointers(struct out_list *l, struct repo *r,
						  const char *path)
{
	const struct cairn_error *e;
	git_index *idx;

	if ((e = rev_index_open(&idx, r, path)) != NULL)
		return e;
	e = rev_index_walk(l, r, idx, false, NULL, NULL);
	git_index_free(idx);
	return e;
}

const struct cairn_error *rev_index_file_read(struct buf *out, bool *found, struct repo *r,
					      const char *index_path, const char *path, size_t max)
{
	return rev_index_read(out, found, r, index_path, path, 0, max);
}
