/*
 * cachewalk.c: readdir over the 256 fan-out folders and the temp folder,
 * through descriptors opened with O_NOFOLLOW.
 */
#include "buildconf.h"

#include "core/cachewalk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

const struct cairn_error *cachewalk_temps(const struct cache *c, cachewalk_temp_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	char *tmpdir = fs_join(cache_dir(c), "tmp");
	struct dirent *de;
	int fd = cachewalk_open(tmpdir);
	DIR *d;

	if (fd < 0) {
		e = errno == ENOENT ? NULL : err_errno("open '%s'", tmpdir);
		free(tmpdir);
		return e;
	}
	if ((d = fdopendir(fd)) == NULL) {
		e = err_errno("open '%s'", tmpdir);
		close(fd);
		free(tmpdir);
		return e;
	}
	while (e == NULL && (de = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		e = cb(de->d_name, &st, arg);
	}
	closedir(d);
	free(tmpdir);
	return e;
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
	char *path;
	const struct cairn_error *e = NULL;

	if (strchr(name, '/') || strcmp(name, "..") == 0 || strcmp(name, ".") == 0)
		return err_new(CAIRN_ERR_USAGE, "bad temp file name '%s'", name);
	path = xasprintf("%s/tmp/%s", cache_dir(c), name);
	if (unlink(path) < 0 && errno != ENOENT)
		e = err_errno("remove '%s'", path);
	free(path);
	return e;
}

#define CACHEWALK_CHUNK 256
#define CACHEWALK_LIST_MIN 2048 /* from this many ids on, list folders instead of stat'ing */

struct cachewalk_present {
	const struct cache *c;
	const struct oidset *ids;
	unsigned char *have;   /* by index in ids */
	size_t *byfan;         /* indexes of ids sorted by id, grouped by first byte */
	size_t fan[257];       /* group b is byfan[fan[b] .. fan[b + 1]) */
};

static const struct cairn_error *cachewalk_stat_item(void *arg, size_t i, int thread)
{
	struct cachewalk_present *p = arg;
	size_t k, end = (i + 1) * CACHEWALK_CHUNK;

	(void)thread;
	if (end > p->ids->n)
		end = p->ids->n;
	for (k = i * CACHEWALK_CHUNK; k < end; k++)
		p->have[k] = cache_has(p->c, &p->ids->v[k]);
	return NULL;
}

static int cachewalk_cmp_index(const void *a, const void *b, void *arg)
{
	const struct oidset *ids = arg;

	return oid_cmp(&ids->v[*(const size_t *)a], &ids->v[*(const size_t *)b]);
}

/* Read fan-out folder b and mark the wanted ids it holds. */
static const struct cairn_error *cachewalk_list_item(void *arg, size_t b, int thread)
{
	struct cachewalk_present *p = arg;
	char *path, hex[CAIRN_OID_HEXLEN + 1];
	struct dirent *de;
	DIR *d;

	(void)thread;
	if (p->fan[b] == p->fan[b + 1])
		return NULL;
	path = xasprintf("%s/sha256/%02zx", cache_dir(p->c), b);
	d = opendir(path);
	free(path);
	if (d == NULL)
		return NULL; /* nothing there: all missing */
	snprintf(hex, 3, "%02zx", b);
	while ((de = readdir(d)) != NULL) {
		size_t lo = p->fan[b], hi = p->fan[b + 1];
		struct oid id;

		if (strlen(de->d_name) != CAIRN_OID_HEXLEN - 2)
			continue;
		memcpy(hex + 2, de->d_name, CAIRN_OID_HEXLEN - 2 + 1);
		if (!oid_fromhex(&id, hex))
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = oid_cmp(&id, &p->ids->v[p->byfan[mid]]);

			if (c == 0) {
				p->have[p->byfan[mid]] = 1;
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	closedir(d);
	return NULL;
}

const struct cairn_error *cachewalk_keep_missing(struct oidset *ids, const struct cache *c,
						 int jobs)
{
	struct cachewalk_present p;
	struct oidset missing = OIDSET_INIT;
	const struct cairn_error *e;
	size_t k, b;

	if (ids->n == 0)
		return NULL;
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.ids = ids;
	p.have = xcalloc(ids->n, 1);
	if (ids->n < CACHEWALK_LIST_MIN) {
		e = par_run((ids->n + CACHEWALK_CHUNK - 1) / CACHEWALK_CHUNK, jobs,
			    cachewalk_stat_item, &p, NULL, NULL);
	} else {
		/* many ids: 256 folder listings cost less than one stat per object */
		p.byfan = xcalloc(ids->n, sizeof(*p.byfan));
		for (k = 0; k < ids->n; k++)
			p.byfan[k] = k;
		qsort_r(p.byfan, ids->n, sizeof(*p.byfan), cachewalk_cmp_index, ids);
		for (k = 0, b = 0; b < 256; b++) {
			p.fan[b] = k;
			while (k < ids->n && ids->v[p.byfan[k]].b[0] == b)
				k++;
		}
		p.fan[256] = ids->n;
		e = par_run(256, jobs, cachewalk_list_item, &p, NULL, NULL);
		free(p.byfan);
	}
	for (k = 0; k < ids->n && e == NULL; k++)
		if (!p.have[k])
			oidset_add(&missing, &ids->v[k]);
	free(p.have);
	if (e) {
		oidset_release(&missing);
		return e;
	}
	oidset_release(ids);
	*ids = missing;
	return NULL;
}
