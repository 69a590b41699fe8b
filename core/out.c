/*
 * out.c: discovery of pointer files. The work tree walk uses directory
 * descriptors without following symlinks and skips the data of tracked
 * outputs, so it costs the size of the untracked tree, not of the data.
 */
#include "buildconf.h"

#include "core/out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/xmalloc.h"

#define OUT_SUFFIX_LEN (sizeof(PTR_SUFFIX) - 1)

void out_release(struct out *o)
{
	free(o->ptr_rel);
	free(o->rel);
	free(o->dir);
	ptr_free(o->ptr);
	memset(o, 0, sizeof(*o));
}

void out_list_release(struct out_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		out_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static bool out_has_suffix(const char *s)
{
	size_t n = strlen(s);

	return n > OUT_SUFFIX_LEN && strcmp(s + n - OUT_SUFFIX_LEN, PTR_SUFFIX) == 0;
}

const struct cairn_error *out_load(struct out *o, struct repo *r, const char *ptr_rel)
{
	const struct cairn_error *e;
	int dfd;

	memset(o, 0, sizeof(*o));
	o->ptr_rel = xstrdup(ptr_rel);
	o->rel = xstrndup(ptr_rel, strlen(ptr_rel) - OUT_SUFFIX_LEN);
	o->dir = strchr(o->rel, '/') ? fs_dirname(o->rel) : xstrdup("");
	o->name = fs_basename(o->rel);
	if ((e = fs_open_dir_beneath(&dfd, r->rootfd, o->dir, false)) != NULL) {
		out_release(o);
		return e;
	}
	e = ptr_read_at(&o->ptr, dfd, fs_basename(ptr_rel), ptr_rel);
	close(dfd);
	if (e == NULL && strcmp(o->ptr->path, o->name) != 0)
		e = err_new(CAIRN_ERR_FORMAT, "pointer '%s' tracks '%s'; expected '%s'", ptr_rel,
			    o->ptr->path, o->name);
	/*
	 * add refuses to track cairn's own folder; a pointer from a clone that
	 * names it would have checkout --force replace the cache and config
	 */
	if (e == NULL && *o->dir == '\0' && strcmp(o->name, ".cairn") == 0)
		e = err_new(CAIRN_ERR_FORMAT, "malformed pointer '%s': '.cairn' cannot be tracked",
			    ptr_rel);
	if (e)
		out_release(o);
	return e;
}

/* Load and append a pointer; one named twice is dropped by out_dedup, after the sort. */
static const struct cairn_error *out_push(struct out_list *l, struct repo *r, const char *ptr_rel)
{
	const struct cairn_error *e;

	XGROW(l->v, l->n + 1, l->cap);
	if ((e = out_load(&l->v[l->n], r, ptr_rel)) != NULL)
		return e;
	l->n++;
	return NULL;
}

static int out_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk folder rel (open as fd) for pointers. */
static const struct cairn_error *out_walk(struct out_list *l, struct repo *r, int fd,
					  const char *rel, int depth)
{
	const struct cairn_error *e = NULL;
	char **names = NULL, **ptrs = NULL;
	size_t nn = 0, capn = 0, np = 0, capp = 0, i;
	bool nested = false;
	struct dirent *de;
	DIR *d = fdopendir(fd);

	if (d == NULL) {
		close(fd);
		return err_errno("open folder '%s'", rel);
	}
	if (depth > 512) {
		closedir(d);
		return err_new(CAIRN_ERR_FAILED, "folders nested too deeply at '%s'", rel);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strcmp(de->d_name, ".git") == 0 && depth > 0)
			nested = true; /* a nested repository: its pointers are its own */
		if (out_has_suffix(de->d_name) &&
		    (de->d_type == DT_REG || de->d_type == DT_LNK || de->d_type == DT_UNKNOWN)) {
			XGROW(ptrs, np + 1, capp);
			ptrs[np++] = xstrdup(de->d_name);
		} else if (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN) {
			XGROW(names, nn + 1, capn);
			names[nn++] = xstrdup(de->d_name);
		}
	}
	if (nested)
		goto done;
	if (np > 1) /* qsort and bsearch want an array, even for nothing */
		qsort(ptrs, np, sizeof(*ptrs), out_cmp_names);
	for (i = 0; i < np && e == NULL; i++) {
		struct stat st;
		char *p;

		/* a symlinked pointer is not skipped: out_load refuses it by name */
		if (fstatat(dirfd(d), ptrs[i], &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			continue;
		p = fs_join(rel, ptrs[i]);
		e = out_push(l, r, p);
		free(p);
	}
	if (nn > 1)
		qsort(names, nn, sizeof(*names), out_cmp_names);
	for (i = 0; i < nn && e == NULL; i++) {
		char *pname = xasprintf("%s%s", names[i], PTR_SUFFIX), *sub;
		bool tracked = np && bsearch(&pname, ptrs, np, sizeof(*ptrs), out_cmp_names) != NULL;
		int sfd;

		free(pname);
		if (tracked || (depth == 0 && (strcmp(names[i], ".git") == 0 ||
					       strcmp(names[i], ".cairn") == 0)))
			continue;
		sfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sfd < 0)
			continue; /* not a folder (DT_UNKNOWN), a symlink, or unreadable */
		sub = fs_join(rel, names[i]);
		e = out_walk(l, r, sfd, sub, depth + 1);
		free(sub);
	}
done:
	for (i = 0; i < nn; i++)
		free(names[i]);
	for (i = 0; i < np; i++)
		free(ptrs[i]);
	free(names);
	free(ptrs);
	closedir(d);
	return e;
}

static int out_cmp(const void *a, const void *b)
{
	return strcmp(((const struct out *)a)->rel, ((const struct out *)b)->rel);
}

static const struct cairn_error *out_collect_under(struct out_list *l, struct repo *r,
						   const char *rel)
{
	const struct cairn_error *e;
	int fd;

	if ((e = fs_open_dir_beneath(&fd, r->rootfd, rel, false)) != NULL)
		return e;
	return out_walk(l, r, fd, rel, *rel ? 1 : 0);
}

const struct cairn_error *out_collect_all(struct out_list *l, struct repo *r)
{
	const struct cairn_error *e = out_collect_under(l, r, "");

	if (e == NULL && l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), out_cmp);
	return e;
}

const struct cairn_error *out_tracked_above(char **ptr_rel, struct repo *r, const char *rel)
{
	char *p = xstrdup(rel), *slash;
	struct stat st;

	*ptr_rel = NULL;
	while ((slash = strrchr(p, '/')) != NULL) {
		char *cand;

		*slash = '\0';
		cand = xasprintf("%s%s", p, PTR_SUFFIX);
		if (fstatat(r->rootfd, cand, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
			*ptr_rel = cand;
			break;
		}
		free(cand);
	}
	free(p);
	return NULL;
}

/* Drop the outputs a sorted list holds twice (named as data, pointer or folder). */
static void out_dedup(struct out_list *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (n > 0 && strcmp(l->v[n - 1].ptr_rel, l->v[i].ptr_rel) == 0) {
			out_release(&l->v[i]);
			continue;
		}
		if (n != i)
			l->v[n] = l->v[i];
		n++;
	}
	l->n = n;
}

const struct cairn_error *out_collect_args(struct out_list *l, struct repo *r, char **paths,
					   int n)
{
	const struct cairn_error *e = NULL;
	int i;

	for (i = 0; i < n && e == NULL; i++) {
		char *rel = NULL, *ptr_rel, *above = NULL;
		struct stat st;

		if ((e = repo_relpath(&rel, r, paths[i])) != NULL)
			break;
		if (out_has_suffix(rel))
			ptr_rel = xstrdup(rel);
		else
			ptr_rel = xasprintf("%s%s", rel, PTR_SUFFIX);
		if (*rel && fstatat(r->rootfd, ptr_rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode)) {
			e = out_push(l, r, ptr_rel);
		} else if (out_tracked_above(&above, r, rel), above != NULL) {
			e = err_hint(err_new(CAIRN_ERR_NOT_TRACKED,
					     "'%s' is inside tracked folder '%.*s'", rel,
					     (int)(strlen(above) - OUT_SUFFIX_LEN), above),
				     "name the tracked folder instead");
		} else if (fstatat(r->rootfd, *rel ? rel : ".", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			   S_ISDIR(st.st_mode)) {
			size_t before = l->n;

			e = out_collect_under(l, r, rel);
			if (e == NULL && l->n == before)
				e = err_new(CAIRN_ERR_NOT_TRACKED, "no tracked outputs under '%s'",
					    *rel ? rel : ".");
		} else {
			e = err_new(CAIRN_ERR_NOT_TRACKED, "'%s' is not tracked by cairn", rel);
		}
		free(above);
		free(ptr_rel);
		free(rel);
	}
	if (e == NULL && l->n > 1) {
		qsort(l->v, l->n, sizeof(*l->v), out_cmp);
		out_dedup(l);
	}
	return e;
}

const struct cairn_error *out_find(struct out *o, struct repo *r, const char *user_path)
{
	const struct cairn_error *e;
	char *rel = NULL, *ptr_rel, *above = NULL;
	struct stat st;

	if ((e = repo_relpath(&rel, r, user_path)) != NULL)
		return e;
	ptr_rel = out_has_suffix(rel) ? xstrdup(rel) : xasprintf("%s%s", rel, PTR_SUFFIX);
	if (*rel && fstatat(r->rootfd, ptr_rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode)) {
		e = out_load(o, r, ptr_rel);
	} else if (*rel && (out_tracked_above(&above, r, rel), above != NULL)) {
		e = err_hint(err_new(CAIRN_ERR_NOT_TRACKED, "'%s' is inside tracked folder '%.*s'",
				     rel, (int)(strlen(above) - OUT_SUFFIX_LEN), above),
			     "name the tracked folder instead");
	} else {
		e = err_new(CAIRN_ERR_NOT_TRACKED, "'%s' is not tracked by cairn", *rel ? rel : ".");
	}
	free(above);
	free(ptr_rel);
	free(rel);
	return e;
}
