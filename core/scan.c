/*
 * scan.c: workspace folder scans through directory descriptors opened with
 * O_NOFOLLOW, one level at a time.
 */
#include "buildconf.h"

#include "core/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/name.h"
#include "core/ptr.h"
#include "core/xmalloc.h"

struct scan {
	const struct scan_opts *o;
	int rootfd;
	struct buf path; /* path of the current entry, relative to rootfd */
	size_t base;     /* length of the scanned folder's own path in path */
};

bool scan_cache_link(struct oid *id, const char *target, const char *cache_dir)
{
	size_t n;
	char hex[CAIRN_OID_HEXLEN + 1];

	if (cache_dir == NULL || target[0] != '/')
		return false;
	n = strlen(cache_dir);
	if (strncmp(target, cache_dir, n) != 0 || strncmp(target + n, "/sha256/", 8) != 0)
		return false;
	target += n + 8;
	if (strlen(target) != CAIRN_OID_HEXLEN + 1 || target[2] != '/')
		return false;
	memcpy(hex, target, 2);
	memcpy(hex + 2, target + 3, CAIRN_OID_HEXLEN - 2);
	hex[CAIRN_OID_HEXLEN] = '\0';
	return oid_fromhex(id, hex);
}

static const struct cairn_error *scan_refuse(struct scan *s, const char *why)
{
	return err_new(CAIRN_ERR_FAILED, "cannot track '%s': %s", s->path.s, why);
}

static const struct cairn_error *scan_rec(struct scan *s, int fd, struct tree *t, int depth)
{
	const struct cairn_error *e = NULL;
	struct dirent *de;
	DIR *d;
	size_t len = s->path.len;

	if (depth > TREE_MAX_DEPTH)
		return err_new(CAIRN_ERR_FAILED, "'%s': folders nested too deeply", s->path.s);
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return err_errno("open folder '%s'", s->path.s);
	}
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name, *why;
		struct tree_entry *te;
		struct stat st;
		size_t nlen;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		s->path.len = len;
		if (len)
			buf_addch(&s->path, '/');
		buf_adds(&s->path, name);
		nlen = strlen(name);
		why = name_check(name);
		if (why == NULL && nlen > strlen(PTR_SUFFIX) &&
		    strcmp(name + nlen - strlen(PTR_SUFFIX), PTR_SUFFIX) == 0)
			why = "it holds a cairn pointer file; a tracked output cannot contain another";
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* vanished while scanning */
			e = err_errno("stat '%s'", s->path.s);
			break;
		}
		if (why == NULL && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
			why = "not a regular file, folder or symlink";
		if (why) {
			if (s->o->strict) {
				e = scan_refuse(s, why);
				break;
			}
			te = tree_add(t, name, TREE_OTHER);
			te->st = st;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0) {
				e = err_errno("open folder '%s'", s->path.s);
				break;
			}
			te = tree_add(t, name, TREE_DIR);
			te->st = st;
			te->sub = tree_new();
			/* te may move when t grows, so recurse into a local tree */
			{
				struct tree *kids = te->sub;

				if ((e = scan_rec(s, sub, kids, depth + 1)) != NULL)
					break;
			}
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX + 1];
			ssize_t n = readlinkat(dirfd(d), name, target, PATH_MAX);
			struct oid id;

			if (n < 0) {
				e = err_errno("read symlink '%s'", s->path.s);
				break;
			}
			target[n] = '\0';
			if (scan_cache_link(&id, target, s->o->cache_dir)) {
				struct stat ost;

				te = tree_add(t, name, TREE_FILE);
				te->st = st;
				te->id = id;
				te->known = true;
				te->cache_link = true;
				te->size = stat(target, &ost) == 0 ? (uint64_t)ost.st_size : 0;
				continue;
			}
			/* lexically; chains through other symlinks: tree_check_links */
			why = name_check_link_target(target, depth);
			if (why) {
				if (s->o->strict) {
					e = scan_refuse(s, why);
					break;
				}
				te = tree_add(t, name, TREE_OTHER);
				te->st = st;
				continue;
			}
			te = tree_add(t, name, TREE_SYMLINK);
			te->st = st;
			te->target = xstrdup(target);
		} else {
			te = tree_add(t, name, TREE_FILE);
			te->st = st;
			te->size = (uint64_t)st.st_size;
			te->exec = (st.st_mode & S_IXUSR) != 0;
		}
	}
	closedir(d);
	s->path.len = len;
	s->path.s[len] = '\0';
	return e;
}

const struct cairn_error *scan_dir(struct tree **out, int rootfd, const char *rel,
				   const struct scan_opts *o)
{
	const struct cairn_error *e;
	struct scan s;
	struct tree *t;
	int fd;

	e = fs_open_dir_beneath(&fd, rootfd, rel, false);
	if (e)
		return e;
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.rootfd = rootfd;
	buf_init(&s.path);
	buf_adds(&s.path, rel);
	s.base = s.path.len;
	t = tree_new();
	e = scan_rec(&s, fd, t, 0);
	buf_release(&s.path);
	if (e == NULL) {
		tree_sort(t);
		/* what is stored must stay inside when followed, also through other links */
		if (o->strict && (e = tree_check_links(t, rel)) != NULL)
			e = err_new(CAIRN_ERR_FAILED, "cannot track '%s': %s", rel, e->msg);
	}
	if (e) {
		tree_free(t);
		return e;
	}
	*out = t;
	return NULL;
}
