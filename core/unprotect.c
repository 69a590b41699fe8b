/*
 * unprotect.c: each copy is written to a temp name in .cairn/tmp (the work
 * tree's file system) and renamed over the link, so an interruption leaves
 * either the link or the copy, never a half-written file.
 */
#include "buildconf.h"

#include "core/unprotect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/fsutil.h"
#include "core/link.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/scan.h"
#include "core/work.h"
#include "core/xmalloc.h"

struct unprotect_run {
	struct work *w;
	struct unprotect_result *res;
	struct buf path; /* current path, for messages */
};

/* Replace dirfd/name by a writable copy of what src holds. */
static const struct cairn_error *unprotect_copy(struct unprotect_run *u, int dirfd,
						const char *name, int src, bool exec)
{
	const struct cairn_error *e = NULL;
	char tmp[64];
	struct stat st;
	int fd;

	if (fstat(src, &st) < 0)
		return err_errno("stat '%s'", u->path.s);
	link_tmpname(tmp);
	fd = openat(u->w->tmpfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    exec ? 0777 : 0666);
	if (fd < 0)
		return err_errno("create temp file for '%s'", u->path.s);
	if (!fs_reflink(fd, src))
		e = fs_copy_fd(fd, src, (uint64_t)st.st_size);
	if (close(fd) < 0 && e == NULL)
		e = err_errno("write copy of '%s'", u->path.s);
	if (e == NULL && renameat(u->w->tmpfd, tmp, dirfd, name) < 0)
		e = err_errno("replace '%s'", u->path.s);
	if (e) {
		unlinkat(u->w->tmpfd, tmp, 0);
		return e;
	}
	u->res->copied++;
	return NULL;
}

static const struct cairn_error *unprotect_entry(struct unprotect_run *u, int dirfd,
						 const char *name, int depth);

static const struct cairn_error *unprotect_dir(struct unprotect_run *u, int fd, int depth)
{
	const struct cairn_error *e = NULL;
	size_t base = u->path.len, i, n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	DIR *d;

	if (depth > 256) {
		close(fd);
		return err_new(CAIRN_ERR_FAILED, "'%s': folders nested too deeply", u->path.s);
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return err_errno("open folder '%s'", u->path.s);
	}
	/* names first: replacing entries while reading the folder could repeat them */
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		XGROW(names, n + 1, cap);
		names[n++] = xstrdup(de->d_name);
	}
	for (i = 0; i < n && e == NULL; i++) {
		u->path.len = base;
		buf_addch(&u->path, '/');
		buf_adds(&u->path, names[i]);
		e = unprotect_entry(u, dirfd(d), names[i], depth + 1);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	u->path.len = base;
	u->path.s[base] = '\0';
	return e;
}

static const struct cairn_error *unprotect_entry(struct unprotect_run *u, int dirfd,
						 const char *name, int depth)
{
	const struct cairn_error *e;
	char target[PATH_MAX + 1];
	struct stat st;
	struct oid id;
	ssize_t n;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return err_new(CAIRN_ERR_NOT_FOUND, "'%s' is not in the workspace", u->path.s);
		return err_errno("stat '%s'", u->path.s);
	}
	if (S_ISDIR(st.st_mode)) {
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return err_errno("open folder '%s'", u->path.s);
		return unprotect_dir(u, fd, depth);
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dirfd, name, target, PATH_MAX);
		if (n <= 0)
			return NULL;
		target[n] = '\0';
		if (!scan_cache_link(&id, target, cache_dir(u->w->cache)))
			return NULL; /* the user's own symlink */
		if ((e = cache_open_object(&fd, NULL, u->w->cache, &id)) != NULL)
			return err_wrap(e, "'%s'", u->path.s);
		e = unprotect_copy(u, dirfd, name, fd, false);
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode))
		return NULL;
	if (st.st_nlink > 1) {
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return err_errno("open '%s'", u->path.s);
		e = unprotect_copy(u, dirfd, name, fd, (st.st_mode & 0111) != 0);
		close(fd);
		return e;
	}
	if ((st.st_mode & S_IWUSR) == 0) {
		if (fchmodat(dirfd, name, (st.st_mode & 07777) | S_IWUSR, 0) < 0)
			return err_errno("chmod '%s'", u->path.s);
		u->res->writable++;
	}
	return NULL;
}

const struct cairn_error *unprotect_path(struct unprotect_result *res, struct work *w,
					 const char *rel)
{
	const struct cairn_error *e;
	struct unprotect_run u;
	char *ptr = xasprintf("%s%s", rel, PTR_SUFFIX), *above = NULL, *dir;
	struct stat st;
	int dfd;

	memset(res, 0, sizeof(*res));
	if (*rel == '\0' ||
	    (fstatat(w->repo->rootfd, ptr, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))) {
		free(ptr);
		if (*rel == '\0' || (e = out_tracked_above(&above, w->repo, rel)) != NULL || !above)
			return err_hint(err_new(CAIRN_ERR_NOT_TRACKED, "'%s' is not tracked by cairn",
						*rel ? rel : "."),
					"name a tracked output or a path inside a tracked folder");
		free(above);
	} else {
		free(ptr);
	}
	dir = strchr(rel, '/') ? fs_dirname(rel) : xstrdup("");
	e = fs_open_dir_beneath(&dfd, w->repo->rootfd, dir, false);
	free(dir);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		return err_new(CAIRN_ERR_NOT_FOUND, "'%s' is not in the workspace", rel);
	if (e)
		return e;
	memset(&u, 0, sizeof(u));
	u.w = w;
	u.res = res;
	buf_init(&u.path);
	buf_adds(&u.path, rel);
	e = unprotect_entry(&u, dfd, fs_basename(rel), 0);
	buf_release(&u.path);
	close(dfd);
	return e;
}
