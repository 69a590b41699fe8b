/*
 * add.c: tracking a path. Objects first, then one flush of the cache, then
 * the pointer, then .gitignore: an interruption at any point leaves either
 * the old pointer or a new one whose objects are all durable. With
 * cache.type starting with hardlink or symlink, the workspace copies are
 * then replaced by links to the cache (only when unchanged since hashing).
 */
#include "buildconf.h"

#include "core/add.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/digest.h"
#include "core/fault.h"
#include "core/fsutil.h"
#include "core/ignore.h"
#include "core/link.h"
#include "core/name.h"
#include "core/out.h"
#include "core/repo.h"
#include "core/scan.h"
#include "core/tree.h"
#include "core/work.h"
#include "core/xmalloc.h"

static bool add_has_ptr_suffix(const char *s)
{
	size_t n = strlen(s), k = strlen(PTR_SUFFIX);

	return n > k && strcmp(s + n - k, PTR_SUFFIX) == 0;
}

/* A file checked out as a symlink into the cache (cache.type symlink) stands for that file. */
static bool add_is_cache_link(struct work *w, int dfd, const char *name)
{
	char target[4096];
	struct oid id;
	ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);

	if (n <= 0)
		return false;
	target[n] = '\0';
	return scan_cache_link(&id, target, cache_dir(w->cache));
}

const struct cairn_error *add_check(struct work *w, const char *rel)
{
	const struct cairn_error *e;
	struct repo *r = w->repo;
	char *dir, *above = NULL, *under = NULL, *comp, *copy, *save = NULL;
	const char *why;
	struct stat st;
	bool tracked, cache_link = false;
	int dfd, rc;

	if (*rel == '\0')
		return err_new(CAIRN_ERR_FAILED, "cannot track the repository root");
	copy = xstrdup(rel);
	e = NULL;
	for (comp = strtok_r(copy, "/", &save); comp && !e; comp = strtok_r(NULL, "/", &save)) {
		if (strcasecmp(comp, ".git") == 0)
			e = err_new(CAIRN_ERR_FAILED, "cannot track '%s': it is inside '.git'", rel);
		else if (comp == copy && strcmp(comp, ".cairn") == 0)
			e = err_new(CAIRN_ERR_FAILED, "cannot track '%s': it is inside '.cairn'", rel);
	}
	free(copy);
	if (e)
		return e;
	if (add_has_ptr_suffix(rel))
		return err_new(CAIRN_ERR_FAILED, "cannot track '%s': it is a cairn pointer file", rel);
	if ((why = name_check(fs_basename(rel))) != NULL ||
	    (strpbrk(fs_basename(rel), "\n\r") && (why = "name contains a line break")))
		return err_new(CAIRN_ERR_FAILED, "cannot track '%s': %s", rel, why);
	if (!name_utf8_valid(rel, strlen(rel)))
		return err_new(CAIRN_ERR_FAILED, "cannot track '%s': path is not valid UTF-8", rel);
	dir = strchr(rel, '/') ? fs_dirname(rel) : xstrdup("");
	e = fs_open_dir_beneath(&dfd, r->rootfd, dir, false);
	free(dir);
	if (e)
		return err_wrap(e, "cannot track '%s'", rel);
	rc = fstatat(dfd, fs_basename(rel), &st, AT_SYMLINK_NOFOLLOW);
	if (rc == 0 && S_ISLNK(st.st_mode))
		cache_link = add_is_cache_link(w, dfd, fs_basename(rel));
	close(dfd);
	if (rc < 0) {
		if (errno == ENOENT)
			return err_new(CAIRN_ERR_NOT_FOUND, "'%s' does not exist", rel);
		return err_errno("stat '%s'", rel);
	}
	if (S_ISLNK(st.st_mode) && !cache_link)
		return err_hint(err_new(CAIRN_ERR_FAILED, "cannot track '%s': it is a symlink", rel),
				"track the file or folder it points to instead");
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !cache_link)
		return err_new(CAIRN_ERR_FAILED, "cannot track '%s': not a regular file or folder", rel);
	if ((e = out_tracked_above(&above, r, rel)) != NULL)
		return e;
	if (above) {
		above[strlen(above) - strlen(PTR_SUFFIX)] = '\0';
		e = err_hint(err_new(CAIRN_ERR_FAILED, "'%s' is inside tracked folder '%s'", rel, above),
			     "run 'cairn add %s' to update it", above);
		free(above);
		return e;
	}
	if ((e = repo_git_tracked(&tracked, r, rel)) != NULL)
		return e;
	if (tracked)
		return err_hint(err_new(CAIRN_ERR_FAILED, "'%s' is already tracked by git", rel),
				"stop tracking it in git first: git rm --cached '%s'", rel);
	if (S_ISDIR(st.st_mode)) {
		if ((e = repo_git_tracked_under(&under, r, rel)) != NULL)
			return e;
		if (under) {
			e = err_hint(err_new(CAIRN_ERR_FAILED,
					     "'%s' holds '%s', which is tracked by git", rel, under),
				     "stop tracking it in git first: git rm -r --cached '%s'", rel);
			free(under);
			return e;
		}
	}
	return NULL;
}

/* Replace an unchanged workspace file by a link when cache.type asks for links first. */
static const struct cairn_error *add_link_one(struct work *w, int dirfd, const char *name,
					      const struct tree_entry *te)
{
	const struct cairn_error *e;
	enum link_type used;
	struct stat st;

	if (te->cache_link || fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_ino != te->st.st_ino || st.st_size != te->st.st_size ||
	    st.st_mtim.tv_sec != te->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != te->st.st_mtim.tv_nsec || st.st_nlink > 1)
		return NULL; /* changed since it was read, or already a link: leave it */
	e = link_put(&used, &w->link, dirfd, name, &te->id, te->size, te->exec);
	/* no link type works here (another file system, an executable): the copy stays */
	return err_is(e, CAIRN_ERR_FAILED) ? NULL : e;
}

static const struct cairn_error *add_link_tree(struct work *w, int dirfd, struct tree *t)
{
	const struct cairn_error *e = NULL;
	size_t i;

	for (i = 0; i < t->n && e == NULL; i++) {
		struct tree_entry *te = &t->e[i];

		if (te->type == TREE_FILE) {
			e = add_link_one(w, dirfd, te->name, te);
		} else if (te->type == TREE_DIR) {
			int sub = openat(dirfd, te->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0)
				continue;
			e = add_link_tree(w, sub, te->sub);
			close(sub);
		}
	}
	return e;
}

static bool add_wants_links(const struct work *w)
{
	return w->types.v[0] == LINK_HARDLINK || w->types.v[0] == LINK_SYMLINK;
}

/* Does the pointer file name in dfd hold merge conflict markers? */
static bool add_ptr_conflicted(int dfd, const char *name)
{
	struct buf b = BUF_INIT;
	bool conflict = false;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	buf_init(&b);
	if (fs_read_fd(&b, fd, PTR_MAX_BYTES, name) == NULL)
		conflict = ptr_has_conflict(b.s, b.len);
	close(fd);
	buf_release(&b);
	return conflict;
}

static bool add_ptr_same(const struct ptr *a, const struct ptr *b)
{
	return a->type == b->type && oid_equal(&a->id, &b->id) && a->size == b->size &&
	       a->nfiles == b->nfiles && a->exec == b->exec && strcmp(a->path, b->path) == 0;
}

const struct cairn_error *add_path(struct add_result *res, struct work *w, const char *rel)
{
	const struct cairn_error *e;
	struct repo *r = w->repo;
	struct tree *t = NULL;
	struct tree_entry fe;
	struct ptr *old = NULL, *p = NULL;
	struct buf text = BUF_INIT;
	struct scan_opts so;
	char *dir = strchr(rel, '/') ? fs_dirname(rel) : xstrdup("");
	const char *name = fs_basename(rel);
	char *ptrname = xasprintf("%s%s", name, PTR_SUFFIX);
	struct stat st;
	int dfd = -1;

	memset(res, 0, sizeof(*res));
	memset(&fe, 0, sizeof(fe));
	buf_init(&text);
	if ((e = fs_open_dir_beneath(&dfd, r->rootfd, dir, false)) != NULL)
		goto done;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		e = errno == ENOENT ? err_new(CAIRN_ERR_NOT_FOUND, "'%s' does not exist", rel)
				    : err_errno("stat '%s'", rel);
		goto done;
	}
	w->digest.cache = w->cache;
	if (S_ISDIR(st.st_mode)) {
		so.root = r->root;
		so.cache_dir = cache_dir(w->cache);
		so.strict = true;
		if ((e = scan_dir(&t, r->rootfd, rel, &so)) != NULL)
			goto done;
		p = ptr_new(name, PTR_DIR);
		if ((e = digest_tree_id(&w->digest, t, rel, &p->id, &p->size, &p->nfiles)) != NULL)
			goto done;
	} else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n;

		fe.type = TREE_FILE;
		fe.st = st;
		fe.exec = (st.st_mode & S_IXUSR) != 0;
		if (S_ISLNK(st.st_mode)) {
			/* a file checked out as a symlink into the cache */
			n = readlinkat(dfd, name, target, sizeof(target) - 1);
			target[n < 0 ? 0 : n] = '\0';
			if (n < 0 || !scan_cache_link(&fe.id, target, cache_dir(w->cache))) {
				e = err_new(CAIRN_ERR_FAILED, "cannot track '%s': it is a symlink", rel);
				goto done;
			}
			fe.known = fe.cache_link = true;
			fe.exec = false;
			fe.size = stat(target, &st) == 0 ? (uint64_t)st.st_size : 0;
		} else if ((e = digest_file(&w->digest, rel, &fe)) != NULL) {
			goto done;
		}
		p = ptr_new(name, PTR_FILE);
		p->id = fe.id;
		p->size = fe.size;
		p->exec = fe.exec;
	} else {
		e = err_new(CAIRN_ERR_FAILED, "cannot track '%s': not a regular file or folder", rel);
		goto done;
	}
	/* every object is durable before the pointer names it */
	if ((e = cache_flush(w->cache)) != NULL)
		goto done;
	if (fstatat(dfd, ptrname, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		char *ptr_rel = fs_join(dir, ptrname);

		e = ptr_read_at(&old, dfd, ptrname, ptr_rel);
		free(ptr_rel);
		/* adding the data resolves a merge conflict in its pointer, as git add does */
		if (err_is(e, CAIRN_ERR_FORMAT) && add_ptr_conflicted(dfd, ptrname))
			e = NULL;
		if (e)
			goto done;
		if (old) {
			/* keep the keys cairn does not know */
			p->doc = old->doc;
			old->doc = NULL;
		}
	}
	res->created = old == NULL;
	res->changed = old == NULL || !add_ptr_same(old, p);
	if (res->changed) {
		fault_point("add-pointer");
		if ((e = ptr_format(&text, p)) != NULL)
			goto done;
		if ((e = fs_atomic_write_at(dfd, ptrname, text.s, text.len, 0644)) != NULL)
			goto done;
	}
	fault_point("add-ignore");
	if ((e = ignore_add(r->rootfd, dir, name)) != NULL)
		goto done;
	if (add_wants_links(w) && t) {
		/* the tree's entries live in the folder itself, not beside it */
		int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (sub >= 0) {
			e = add_link_tree(w, sub, t);
			close(sub);
		}
	} else if (add_wants_links(w)) {
		e = add_link_one(w, dfd, name, &fe);
	}
	if (e == NULL) {
		res->type = p->type;
		res->size = p->size;
		res->nfiles = p->nfiles;
	}
done:
	w->digest.cache = NULL;
	if (dfd >= 0)
		close(dfd);
	tree_free(t);
	ptr_free(old);
	ptr_free(p);
	buf_release(&text);
	free(ptrname);
	free(dir);
	return e;
}
