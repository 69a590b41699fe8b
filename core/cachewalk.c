/*
 * cachewalk.c: readdir over the 256 fan-out folders and the temp folder,
 * through descriptors opened with O_NOFOLLOW.
 */
#include "buildconf.h"

#include "core/cachewalk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "core/par.h"
#include "core/xmalloc.h"

static bool cachewalk_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

static int cachewalk_open(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

const struct cairn_error *cachewalk_objects(const struct cache *c, cachewalk_object_cb cb,
					    void *arg)
{
	const struct cairn_error *e = NULL;
	char *objdir = fs_join(cache_dir(c), "sha256");
	int top = cachewalk_open(objdir), b;

	if (top < 0) {
		e = errno == ENOENT ? NULL : err_errno("open cache '%s'", objdir);
		free(objdir);
		return e;
	}
	for (b = 0; b < 256 && e == NULL; b++) {
		char fan[3], hex[CAIRN_OID_HEXLEN + 1];
		struct dirent *de;
		DIR *d;
		int fd;

		snprintf(fan, sizeof(fan), "%02x", b);
		fd = openat(top, fan, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
				e = err_errno("open cache folder '%s/%s'", objdir, fan);
			continue;
		}
		if ((d = fdopendir(fd)) == NULL) {
			e = err_errno("open cache folder '%s/%s'", objdir, fan);
			close(fd);
			break;
		}
		while (e == NULL && (de = readdir(d)) != NULL) {
			struct stat st;
			struct oid id;

			if (strlen(de->d_name) != CAIRN_OID_HEXLEN - 2 ||
			    !cachewalk_is_hex(de->d_name, CAIRN_OID_HEXLEN - 2))
				continue;
			memcpy(hex, fan, 2);
			memcpy(hex + 2, de->d_name, CAIRN_OID_HEXLEN - 2 + 1);
			if (!oid_fromhex(&id, hex))
				continue;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				if (errno != ENOENT)
					e = err_errno("stat cache object %s", hex);
				continue;
			}
			e = cb(&id, &st, arg);
		}
		closedir(d);
	}
	close(top);
	free(objdir);
	return e;
}

/* A temp folder of cache.c: "w" and digits. */
static bool cachewalk_is_shard(const char *name)
{
	size_t i;

	if (name[0] != 'w' || name[1] == '\0')
		return false;
	for (i = 1; name[i]; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return i <= 4;
}

/* Visit the regular files of the folder fd (named rel inside tmp/, "" for tmp/ itself). */
static const struct cairn_error *cachewalk_temps_in(int fd, const char *rel, cachewalk_temp_cb cb,
						   void *arg)
{
	const struct cairn_error *e = NULL;
	struct dirent *de;
	DIR *d;

	if ((d = fdopendir(fd)) == NULL) {
		e = err_errno("open cache temp folder");
		close(fd);
		return e;
	}
	while (e == NULL && (de = readdir(d)) != NULL) {
		struct stat st;
		char *name;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && *rel == '\0' && cachewalk_is_shard(de->d_name)) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				e = cachewalk_temps_in(sub, de->d_name, cb, arg);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		name = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		e = cb(name, &st, arg);
		free(name);
	}
	closedir(d);
	return e;
}

const struct cairn_error *cachewalk_temps(const struct cache *c, cachewalk_temp_cb cb, void *arg)
{
	const struct cairn_error *e;
	char *tmpdir = fs_join(cache_dir(c), "tmp");
	int fd = cachewalk_open(tmpdir);

	if (fd < 0) {
		e = errno == ENOENT ? NULL : err_errno("open '%s'", tmpdir);
		free(tmpdir);
		return e;
	}
	free(tmpdir);
	return cachewalk_temps_in(fd, "", cb, arg);
}

const struct cairn_error *cachewalk_remove_object(const struct cache *c, const struct oid *id)
{
	char *path = cache_path(c, id);
	const struct cairn_error *e = NULL;

	if (unlink(path) < 0 && errno != ENOENT)
		e = err_errno("remove cache object '%s'", path);
	free(path);
	return e;
}

const struct cairn_error *cachewalk_remove_temp(const struct cache *c, const char *name)
{
	const struct cairn_error *e = NULL;
	const char *slash = strchr(name, '/');
	char shard[8] = "";
	char *path;

	/* a name in tmp/, or in one of its temp folders tmp/wN/ */
	if (slash) {
		size_t n = (size_t)(slash - name);

		if (n >= sizeof(shard))
			return err_new(CAIRN_ERR_USAGE, "bad temp file name '%s'", name);
		memcpy(shard, name, n);
		shard[n] = '\0';
		if (!cachewalk_is_shard(shard))
			return err_new(CAIRN_ERR_USAGE, "bad temp file name '%s'", name);
		name = slash + 1;
	}
	if (strchr(name, '/') || strcmp(name, "..") == 0 || strcmp(name, ".") == 0 || !*name)
		return err_new(CAIRN_ERR_USAGE, "bad temp file name '%s'", name);
	path = slash ? xasprintf("%s/tmp/%s/%s", cache_dir(c), shard, name)
		     : xasprintf("%s/tmp/%s", cache_dir(c), name);
	if (unlink(path) < 0 && errno != ENOENT)
		e = err_errno("remove '%s'", path);
	free(path);
	return e;
}

#define CACHEWALK_CHUNK 256

struct cachewalk_stat {
	const struct cache *c;
	const struct oid *ids;
	size_t n;
	int64_t *sizes;
};

static const struct cairn_error *cachewalk_stat_item(void *arg, size_t i, int thread)
{
	struct cachewalk_stat *p = arg;
	size_t k, end = (i + 1) * CACHEWALK_CHUNK;
	uint64_t size;

	(void)thread;
	if (end > p->n)
		end = p->n;
	for (k = i * CACHEWALK_CHUNK; k < end; k++)
		p->sizes[k] = cache_has_size(p->c, &p->ids[k], &size) ? (int64_t)size : -1;
	return NULL;
}

const struct cairn_error *cachewalk_sizes(int64_t *sizes, const struct cache *c,
					  const struct oid *ids, size_t n, int jobs)
{
	struct cachewalk_stat p;

	p.c = c;
	p.ids = ids;
	p.n = n;
	p.sizes = sizes;
	return par_run((n + CACHEWALK_CHUNK - 1) / CACHEWALK_CHUNK, jobs, cachewalk_stat_item, &p,
		       NULL, NULL);
}
