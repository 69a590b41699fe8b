/*
 * fsutil.c: file system helpers. Workspace writes go through descriptors of
 * folders opened with O_NOFOLLOW, one component at a time, so a symlink
 * planted in a repository can never redirect a write.
 */
#include "buildconf.h"

#include "core/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_IOCTL_H
#include <sys/ioctl.h>
#endif
#ifdef HAVE_LINUX_FS_H
#include <linux/fs.h>
#endif
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

#include "core/xmalloc.h"

const struct cairn_error *fs_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return err_errno("write");
		}
		p += w;
		n -= (size_t)w;
	}
	return NULL;
}

const struct cairn_error *fs_read_fd(struct buf *b, int fd, size_t max, const char *what)
{
	char chunk[65536];
	size_t total = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_errno("read '%s'", what);
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max)
			return err_new(CAIRN_ERR_FORMAT, "'%s' is larger than %zu bytes", what, max);
		buf_add(b, chunk, (size_t)n);
	}
	return NULL;
}

const struct cairn_error *fs_read_file(struct buf *b, const char *path, size_t max)
{
	const struct cairn_error *e;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_errno("open '%s'", path);
	e = fs_read_fd(b, fd, max, path);
	close(fd);
	return e;
}

const struct cairn_error *fs_mkdirs(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	const struct cairn_error *e = NULL;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				e = err_errno("mkdir '%s'", p);
				break;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return e;
}

const struct cairn_error *fs_atomic_write_at(int dirfd, const char *name, const void *data,
					     size_t len, mode_t mode)
{
	const struct cairn_error *e = NULL;
	char tmp[NAME_MAX + 1];
	static _Atomic unsigned counter;
	int fd = -1, tries;

	for (tries = 0; tries < 100; tries++) {
		snprintf(tmp, sizeof(tmp), ".cairn-tmp-%ld-%u", (long)getpid(), counter++);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return err_errno("create temp file for '%s'", name);
	if ((e = fs_write_all(fd, data, len)) != NULL)
		goto fail;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		e = err_errno("write '%s'", name);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		e = err_errno("close '%s'", name);
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		e = err_errno("rename into '%s'", name);
		goto fail;
	}
	if (fsync(dirfd) < 0 && errno != EINVAL)
		return err_errno("fsync folder of '%s'", name);
	return NULL;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return e;
}

const struct cairn_error *fs_atomic_write(const char *path, const void *data, size_t len,
					  mode_t mode)
{
	char *dir = fs_dirname(path);
	const struct cairn_error *e;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	free(dir);
	if (dfd < 0)
		return err_errno("open folder of '%s'", path);
	e = fs_atomic_write_at(dfd, fs_basename(path), data, len, mode);
	close(dfd);
	return e;
}

/* One openat2 call for the whole path, refusing any symlink; -1 when it cannot. */
static int fs_open_resolved(int rootfd, const char *rel)
{
#if defined(HAVE_LINUX_OPENAT2_H) && defined(SYS_openat2)
	struct open_how how;

	if (*rel == '\0' || strstr(rel, "..") != NULL)
		return -1;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
#else
	(void)rootfd;
	(void)rel;
	return -1;
#endif
}

const struct cairn_error *fs_open_dir_beneath(int *out, int rootfd, const char *rel, bool create)
{
	char *copy, *comp, *save = NULL;
	int fd = fs_open_resolved(rootfd, rel);
	const struct cairn_error *e = NULL;

	if (fd >= 0) {
		*out = fd;
		return NULL;
	}
	/* component by component: creates what is missing and names what is wrong */
	copy = xstrdup(rel);
	/* a new open file description: a dup would share rootfd's read offset */
	fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		free(copy);
		return err_errno("open the work tree root");
	}
	for (comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		int next;

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			e = err_new(CAIRN_ERR_FAILED, "refusing path with '..': '%s'", rel);
			break;
		}
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0777) < 0 && errno != EEXIST) {
				e = err_errno("mkdir '%s' in '%s'", comp, rel);
				break;
			}
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			struct stat st;

			if ((errno == ELOOP || errno == ENOTDIR) &&
			    fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				e = err_new(CAIRN_ERR_FAILED,
					    "refusing to write through symlink '%s' in '%s'", comp, rel);
			else if (errno == ENOTDIR)
				e = err_new(CAIRN_ERR_EXISTS, "'%s' in '%s' is not a folder", comp, rel);
			else
				e = err_errno("open folder '%s'", rel);
			break;
		}
		close(fd);
		fd = next;
	}
	free(copy);
	if (e) {
		close(fd);
		return e;
	}
	*out = fd;
	return NULL;
}

bool fs_reflink(int dstfd, int srcfd)
{
#if defined(FICLONE)
	return ioctl(dstfd, FICLONE, srcfd) == 0;
#else
	(void)dstfd;
	(void)srcfd;
	return false;
#endif
}

const struct cairn_error *fs_copy_fd(int dstfd, int srcfd, uint64_t size)
{
	uint64_t left = size;

#ifdef HAVE_COPY_FILE_RANGE
	while (left > 0) {
		size_t want = left > (1u << 30) ? (1u << 30) : (size_t)left;
		ssize_t n = copy_file_range(srcfd, NULL, dstfd, NULL, want, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
			    errno == EOPNOTSUPP || errno == EBADF)
				break; /* fall back to read/write */
			return err_errno("copy");
		}
		if (n == 0)
			return err_new(CAIRN_ERR_CORRUPT, "file shorter than expected");
		left -= (uint64_t)n;
	}
#endif
	if (left > 0) {
		size_t cap = 1 << 20;
		char *chunk = xmalloc(cap);
		const struct cairn_error *e = NULL;

		while (left > 0) {
			ssize_t n = read(srcfd, chunk, left < cap ? (size_t)left : cap);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				e = err_errno("read");
				break;
			}
			if (n == 0) {
				e = err_new(CAIRN_ERR_CORRUPT, "file shorter than expected");
				break;
			}
			if ((e = fs_write_all(dstfd, chunk, (size_t)n)) != NULL)
				break;
			left -= (uint64_t)n;
		}
		free(chunk);
		return e;
	}
	return NULL;
}

const struct cairn_error *fs_fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return err_errno("open '%s'", path);
	if (fsync(fd) < 0 && errno != EINVAL) {
		const struct cairn_error *e = err_errno("fsync '%s'", path);

		close(fd);
		return e;
	}
	close(fd);
	return NULL;
}

int64_t fs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

char *fs_join(const char *a, const char *b)
{
	if (a == NULL || *a == '\0')
		return xstrdup(b);
	if (b == NULL || *b == '\0')
		return xstrdup(a);
	if (a[strlen(a) - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

char *fs_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

const char *fs_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const struct cairn_error *fs_remove_tree_at(int parent, const char *name)
{
	const struct cairn_error *e = NULL;
	struct dirent *de;
	DIR *d;
	int fd;

	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return NULL;
	if (errno != EISDIR && errno != EPERM)
		return err_errno("remove '%s'", name);
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_errno("open '%s'", name);
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return err_errno("open '%s'", name);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((e = fs_remove_tree_at(dirfd(d), de->d_name)) != NULL)
			break;
	}
	closedir(d);
	if (e == NULL && unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		e = err_errno("remove '%s'", name);
	return e;
}
