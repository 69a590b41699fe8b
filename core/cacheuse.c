/*
 * cacheuse.c: the project registry of a cache, <cache>/projects/<id>,
 * where id is the SHA-256 of the root path and the file holds the path and
 * a newline. A registration that does not hold an absolute path is
 * reported, not trusted.
 */
#include "buildconf.h"

#include "core/cacheuse.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/oid.h"
#include "core/xmalloc.h"

#define CACHEUSE_DIR "projects"
#define CACHEUSE_MAX 8192

static char *cacheuse_file(const char *cache_dir, const char *root)
{
	struct oid id;

	hash_buf(&id, root, strlen(root));
	return xasprintf("%s/%s/%s", cache_dir, CACHEUSE_DIR, oid_hex(&id));
}

const struct cairn_error *cacheuse_register(const char *cache_dir, const char *root)
{
	const struct cairn_error *e = NULL;
	char *file = cacheuse_file(cache_dir, root), *dir, *text;
	struct stat st;

	if (stat(file, &st) == 0) {
		free(file);
		return NULL;
	}
	dir = fs_join(cache_dir, CACHEUSE_DIR);
	text = xasprintf("%s\n", root);
	if ((e = fs_mkdirs(dir, 0777)) == NULL)
		e = fs_atomic_write(file, text, strlen(text), 0644);
	free(text);
	free(dir);
	free(file);
	return e ? err_wrap(e, "register the project in the cache") : NULL;
}

static int cacheuse_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const struct cairn_error *cacheuse_list(const char *cache_dir, cacheuse_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	char *dir = fs_join(cache_dir, CACHEUSE_DIR), **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		e = errno == ENOENT ? NULL : err_errno("read '%s'", dir);
		free(dir);
		return e;
	}
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != CAIRN_OID_HEXLEN)
			continue; /* ".", "..", temp files */
		XGROW(names, n + 1, cap);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cacheuse_cmp);
	for (i = 0; i < n && e == NULL; i++) {
		struct buf b = BUF_INIT;
		char *file = fs_join(dir, names[i]);

		buf_init(&b);
		e = fs_read_file(&b, file, CACHEUSE_MAX);
		if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
			e = NULL; /* forgotten meanwhile */
		} else if (e == NULL) {
			if (b.len && b.s[b.len - 1] == '\n')
				b.s[--b.len] = '\0';
			if (b.s[0] != '/' || strlen(b.s) != b.len || strchr(b.s, '\n'))
				e = err_new(CAIRN_ERR_FORMAT, "'%s' does not name a project", file);
			else
				e = cb(b.s, file, arg);
		}
		buf_release(&b);
		free(file);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return e;
}

const struct cairn_error *cacheuse_forget(const char *cache_dir, const char *root)
{
	char *file = cacheuse_file(cache_dir, root);
	const struct cairn_error *e = NULL;

	if (unlink(file) < 0 && errno != ENOENT)
		e = err_errno("remove '%s'", file);
	free(file);
	return e;
}
