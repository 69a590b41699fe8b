/*
 * link.c: reflink / hardlink / symlink / copy materialisation with per-file
 * fallback. Errors that mean "this link type is not possible here" (EXDEV,
 * EPERM, EMLINK, EOPNOTSUPP...) move on to the next type; others fail.
 */
#include "buildconf.h"

#include "core/link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/xmalloc.h"

static const char *const link_names[] = { "reflink", "hardlink", "symlink", "copy" };

const char *link_name(enum link_type t)
{
	return link_names[t];
}

const struct cairn_error *link_parse(struct link_types *out, const char *spec)
{
	char *copy = xstrdup(spec), *tok, *save = NULL;
	const struct cairn_error *e = NULL;
	unsigned seen = 0;

	out->n = 0;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		int t;

		for (t = 0; t < 4; t++)
			if (strcmp(tok, link_names[t]) == 0)
				break;
		if (t == 4) {
			e = err_new(CAIRN_ERR_FORMAT,
				    "cache.type: unknown link type '%s' (reflink, hardlink, symlink, copy)",
				    tok);
			break;
		}
		if (seen & (1u << t)) {
			e = err_new(CAIRN_ERR_FORMAT, "cache.type: '%s' listed twice", tok);
			break;
		}
		seen |= 1u << t;
		out->v[out->n++] = (enum link_type)t;
	}
	free(copy);
	if (e == NULL && out->n == 0)
		e = err_new(CAIRN_ERR_FORMAT, "cache.type is empty");
	return e;
}

void link_tmpname(char out[64])
{
	static atomic_uint counter;

	snprintf(out, 64, "co-%ld-%u", (long)getpid(), atomic_fetch_add(&counter, 1));
}

static bool link_unsupported(int err)
{
	return err == EXDEV || err == EPERM || err == EMLINK || err == EOPNOTSUPP ||
	       err == ENOTTY || err == EINVAL || err == ENOSYS || err == EACCES;
}

/* Copy (hashing when verifying) from src into the new file fd. */
static const struct cairn_error *link_copy(int fd, int src, uint64_t size, const struct oid *id,
					   bool verify)
{
	const struct cairn_error *e = NULL;
	struct hash_ctx h;
	struct oid got;
	char *chunk;
	uint64_t left = size;

	if (!verify)
		return fs_copy_fd(fd, src, size);
	chunk = xmalloc(1u << 20);
	hash_init(&h);
	while (left > 0 && e == NULL) {
		ssize_t n = read(src, chunk, left < (1u << 20) ? (size_t)left : (1u << 20));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? err_errno("read object") : err_new(CAIRN_ERR_CORRUPT, "short object");
			break;
		}
		hash_update(&h, chunk, (size_t)n);
		e = fs_write_all(fd, chunk, (size_t)n);
		left -= (uint64_t)n;
	}
	hash_final(&h, &got);
	hash_release(&h);
	free(chunk);
	if (e == NULL && !oid_equal(&got, id))
		e = err_new(CAIRN_ERR_CORRUPT, "cache object %s is corrupt (its content hashes to %s)",
			    oid_hex(id), oid_hex(&got));
	return e;
}

/* Try one type into tmpfd/tmp. NULL with *skip when the type is not possible here. */
static const struct cairn_error *link_try(bool *skip, struct link_ctx *c, enum link_type t,
					  const char *tmp, int src, const char *objpath,
					  const struct oid *id, uint64_t size, bool exec)
{
	const struct cairn_error *e = NULL;
	int fd;

	*skip = false;
	switch (t) {
	case LINK_HARDLINK:
	case LINK_SYMLINK:
		/* the cache object is shared and read-only: it cannot carry an exec bit */
		if (exec) {
			*skip = true;
			return NULL;
		}
		if ((t == LINK_HARDLINK ? linkat(AT_FDCWD, objpath, c->tmpfd, tmp, 0)
					: symlinkat(objpath, c->tmpfd, tmp)) < 0) {
			if (link_unsupported(errno)) {
				*skip = true;
				return NULL;
			}
			return err_errno("%s cache object", link_name(t));
		}
		return NULL;
	case LINK_REFLINK:
	case LINK_COPY:
		fd = openat(c->tmpfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    exec ? 0777 : 0666);
		if (fd < 0)
			return err_errno("create temp file");
		if (t == LINK_REFLINK) {
			if (!fs_reflink(fd, src))
				*skip = true;
		} else {
			if (lseek(src, 0, SEEK_SET) < 0)
				e = err_errno("seek");
			else
				e = link_copy(fd, src, size, id, c->verify);
		}
		if (close(fd) < 0 && e == NULL)
			e = err_errno("write");
		if (e || *skip)
			unlinkat(c->tmpfd, tmp, 0);
		return e;
	}
	return NULL;
}

/* Is dirfd/name already a link of type t to the object (open as src)? */
static bool link_in_place(enum link_type t, int dirfd, const char *name, int src,
			  const char *objpath)
{
	struct stat a, b;
	char target[4096];
	ssize_t n;

	if (t == LINK_HARDLINK)
		return fstatat(dirfd, name, &a, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(a.st_mode) &&
		       fstat(src, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	if (t == LINK_SYMLINK) {
		n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n <= 0)
			return false;
		target[n] = '\0';
		return strcmp(target, objpath) == 0;
	}
	return false;
}

const struct cairn_error *link_put(enum link_type *used, struct link_ctx *c, int dirfd,
				   const char *name, const struct oid *id, uint64_t size,
				   bool exec)
{
	const struct cairn_error *e;
	char tmp[64], *objpath;
	uint64_t have;
	int src, i;

	if ((e = cache_open_object(&src, &have, c->cache, id)) != NULL)
		return e;
	if (have != size || (c->verify && c->types->v[0] != LINK_COPY)) {
		/* a size recorded by a (possibly hostile) pointer proves nothing: the hash decides */
		close(src);
		if ((e = cache_verify(c->cache, id)) != NULL)
			return err_is(e, CAIRN_ERR_CORRUPT) ? cache_quarantine(c->cache, id, e) : e;
		if (have != size)
			return err_new(CAIRN_ERR_FORMAT, "object %s has %llu bytes, but %llu are recorded",
				       oid_hex(id), (unsigned long long)have,
				       (unsigned long long)size);
		if ((e = cache_open_object(&src, &have, c->cache, id)) != NULL)
			return e;
	}
	objpath = cache_path(c->cache, id);
	for (i = 0; i < c->types->n; i++) {
		bool skip;

		if (!exec && link_in_place(c->types->v[i], dirfd, name, src, objpath)) {
			e = NULL;
			*used = c->types->v[i];
			break;
		}
		link_tmpname(tmp);
		e = link_try(&skip, c, c->types->v[i], tmp, src, objpath, id, size, exec);
		if (e || skip)
			continue;
		if (renameat(c->tmpfd, tmp, dirfd, name) < 0) {
			e = err_errno("replace '%s'", name);
			unlinkat(c->tmpfd, tmp, 0);
			break;
		}
		/* renaming onto another link of the same file does nothing: drop the temp name */
		if (c->types->v[i] == LINK_HARDLINK)
			unlinkat(c->tmpfd, tmp, 0);
		*used = c->types->v[i];
		break;
	}
	close(src);
	free(objpath);
	if (e && err_is(e, CAIRN_ERR_CORRUPT))
		return cache_quarantine(c->cache, id, e);
	if (e == NULL && i == c->types->n)
		e = err_new(CAIRN_ERR_FAILED, "no link type of cache.type works for '%s'", name);
	return e;
}
