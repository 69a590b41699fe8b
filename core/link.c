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
	static atomic_long pid;
	long p = atomic_load(&pid);

	if (p == 0) {
		p = (long)getpid();
		atomic_store(&pid, p);
	}
	snprintf(out, 64, "co-%ld-%u", p, atomic_fetch_add(&counter, 1));
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

/* A new file for a copy: unnamed in dirfd when the file system can (O_TMPFILE), else *tmp. */
static int link_newfile(bool *named, char tmp[64], struct link_ctx *c, int dirfd, bool exec)
{
	mode_t mode = exec ? 0777 : 0666;
	int fd;

#ifdef O_TMPFILE
	if (!atomic_load(&c->no_tmpfile)) {
		fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
		if (fd >= 0) {
			*named = false;
			return fd;
		}
		if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
			atomic_store(&c->no_tmpfile, 1);
	}
#endif
	*named = true;
	link_tmpname(tmp);
	return openat(c->tmpfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
}

/* Give the new file fd its name dirfd/name, replacing what is there. */
static const struct cairn_error *link_publish(struct link_ctx *c, int fd, bool named,
					      const char *tmp, int dirfd, const char *name,
					      bool exists)
{
	char proc[64], tmp2[64];

	if (named) {
		if (renameat(c->tmpfd, tmp, dirfd, name) == 0)
			return NULL;
		return err_errno("replace '%s'", name);
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (!exists) {
		if (linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW) == 0)
			return NULL;
		if (errno != EEXIST)
			return err_errno("create '%s'", name);
	}
	/* replace atomically: a name in .cairn/tmp, then rename over */
	link_tmpname(tmp2);
	if (linkat(AT_FDCWD, proc, c->tmpfd, tmp2, AT_SYMLINK_FOLLOW) < 0)
		return err_errno("create '%s'", name);
	if (renameat(c->tmpfd, tmp2, dirfd, name) < 0) {
		const struct cairn_error *e = err_errno("replace '%s'", name);

		unlinkat(c->tmpfd, tmp2, 0);
		return e;
	}
	return NULL;
}

/* A reflink or a copy of src (size bytes) at dirfd/name. NULL with *skip when not possible here. */
static const struct cairn_error *link_data(bool *skip, struct link_ctx *c, enum link_type t,
					   int src, bool *src_used, int dirfd, const char *name,
					   bool exists, const struct oid *id, uint64_t size, bool exec)
{
	const struct cairn_error *e = NULL;
	char tmp[64];
	bool named;
	int fd;

	*skip = false;
	fd = link_newfile(&named, tmp, c, dirfd, exec);
	if (fd < 0)
		return err_errno("create a file for '%s'", name);
	if (t == LINK_REFLINK) {
		if (!fs_reflink(fd, src)) {
			/* the file systems cannot: do not try again for every file */
			if (errno == EOPNOTSUPP || errno == ENOTTY || errno == EINVAL ||
			    errno == EXDEV || errno == ENOSYS)
				atomic_store(&c->no_reflink, 1);
			*skip = true;
		}
	} else if (*src_used && lseek(src, 0, SEEK_SET) < 0) {
		e = err_errno("seek");
	} else {
		*src_used = true;
		e = link_copy(fd, src, size, id, c->verify);
	}
	if (e == NULL && !*skip)
		e = link_publish(c, fd, named, tmp, dirfd, name, exists);
	if (close(fd) < 0 && e == NULL)
		e = err_errno("write '%s'", name);
	if ((e || *skip) && named)
		unlinkat(c->tmpfd, tmp, 0);
	return e;
}

/* A hardlink or symlink to the object at dirfd/name. NULL with *skip when not possible here. */
static const struct cairn_error *link_link(bool *skip, struct link_ctx *c, enum link_type t,
					   const char *objpath, int dirfd, const char *name,
					   bool exists)
{
	char tmp[64];
	int rc;

	*skip = false;
	if (!exists) {
		/* nothing to replace: create the link at its name, atomically */
		rc = t == LINK_HARDLINK ? linkat(AT_FDCWD, objpath, dirfd, name, 0)
					: symlinkat(objpath, dirfd, name);
		if (rc == 0)
			return NULL;
		if (errno == EEXIST)
			return err_new(CAIRN_ERR_EXISTS, "'%s' exists", name);
		if (link_unsupported(errno)) {
			*skip = true;
			return NULL;
		}
		return err_errno("%s cache object to '%s'", link_name(t), name);
	}
	link_tmpname(tmp);
	rc = t == LINK_HARDLINK ? linkat(AT_FDCWD, objpath, c->tmpfd, tmp, 0)
				: symlinkat(objpath, c->tmpfd, tmp);
	if (rc < 0) {
		if (link_unsupported(errno)) {
			*skip = true;
			return NULL;
		}
		return err_errno("%s cache object", link_name(t));
	}
	if (renameat(c->tmpfd, tmp, dirfd, name) < 0) {
		const struct cairn_error *e = err_errno("replace '%s'", name);

		unlinkat(c->tmpfd, tmp, 0);
		return e;
	}
	/* renaming onto another link of the same file does nothing: drop the temp name */
	if (t == LINK_HARDLINK)
		unlinkat(c->tmpfd, tmp, 0);
	return NULL;
}

/* Is dirfd/name (stat st) already a link of type t to the object (stat ost)? */
static bool link_in_place(enum link_type t, const struct stat *st, const struct stat *ost,
			  int dirfd, const char *name, const char *objpath)
{
	char target[4096];
	ssize_t n;

	if (t == LINK_HARDLINK)
		return S_ISREG(st->st_mode) && st->st_dev == ost->st_dev && st->st_ino == ost->st_ino;
	if (t == LINK_SYMLINK && S_ISLNK(st->st_mode)) {
		n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n <= 0)
			return false;
		target[n] = '\0';
		return strcmp(target, objpath) == 0;
	}
	return false;
}

/* Is the first usable type a copy (so the object is opened rather than stat'ed)? */
static bool link_first_is_data(const struct link_ctx *c, bool exec)
{
	int i;

	for (i = 0; i < c->types->n; i++) {
		enum link_type t = c->types->v[i];

		if (exec && (t == LINK_HARDLINK || t == LINK_SYMLINK))
			continue;
		if (t == LINK_REFLINK && atomic_load(&c->no_reflink))
			continue;
		return t == LINK_REFLINK || t == LINK_COPY;
	}
	return false;
}

/* Every type of cache.type was skipped (copy never is): say why, and the setting that works. */
static const struct cairn_error *link_none_works(const struct link_types *types, const char *name,
						 bool exec)
{
	const struct cairn_error *e;
	char spec[64] = "";
	bool links_only = true;
	int i;

	for (i = 0; i < types->n; i++) {
		if (types->v[i] == LINK_REFLINK)
			links_only = false;
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%s,",
			 link_name(types->v[i]));
	}
	if (exec && links_only)
		e = err_new(CAIRN_ERR_FAILED,
			    "no link type of cache.type works for '%s': it is executable, and a link "
			    "to the read-only cache object cannot carry the exec bit", name);
	else
		e = err_new(CAIRN_ERR_FAILED, "no link type of cache.type works for '%s'", name);
	return err_hint(e, "add copy to cache.type: cairn config cache.type %scopy", spec);
}

const struct cairn_error *link_put(enum link_type *used, struct link_ctx *c, int dirfd,
				   const char *name, const struct oid *id, uint64_t size,
				   bool exec)
{
	const struct cairn_error *e;
	struct stat ost, st;
	char *objpath;
	bool src_used = false; /* read from already: seek back before the next copy */
	int src = -1, i, exists = -1; /* -1: not looked at yet */

	if (link_first_is_data(c, exec)) {
		if ((e = cache_open_object(&src, NULL, c->cache, id)) != NULL)
			return e;
		if (fstat(src, &ost) < 0) {
			e = err_errno("stat object %s", oid_hex(id));
			close(src);
			return e;
		}
	} else if ((e = cache_stat_object(&ost, c->cache, id)) != NULL) {
		return err_is(e, CAIRN_ERR_CORRUPT) ? cache_quarantine(c->cache, id, e) : e;
	}
	if ((uint64_t)ost.st_size != size || (c->verify && c->types->v[0] != LINK_COPY)) {
		/* a size recorded by a (possibly hostile) pointer proves nothing: the hash decides */
		if (src >= 0)
			close(src);
		src = -1;
		if ((e = cache_verify(c->cache, id)) != NULL)
			return err_is(e, CAIRN_ERR_CORRUPT) ? cache_quarantine(c->cache, id, e) : e;
		if ((uint64_t)ost.st_size != size)
			return err_new(CAIRN_ERR_FORMAT, "object %s has %llu bytes, but %llu are recorded",
				       oid_hex(id), (unsigned long long)ost.st_size,
				       (unsigned long long)size);
	}
	objpath = cache_path(c->cache, id);
	e = NULL;
	for (i = 0; i < c->types->n; i++) {
		enum link_type t = c->types->v[i];
		bool skip;

		/* the cache object is shared and read-only: it cannot carry an exec bit */
		if (exec && (t == LINK_HARDLINK || t == LINK_SYMLINK))
			continue;
		if (t == LINK_REFLINK && atomic_load(&c->no_reflink))
			continue;
		if (t == LINK_HARDLINK || t == LINK_SYMLINK) {
			/* the common case, nothing there yet, costs no stat */
			if (exists < 0) {
				e = link_link(&skip, c, t, objpath, dirfd, name, false);
				if (e == NULL && !skip)
					break;
				if (!err_is(e, CAIRN_ERR_EXISTS))
					continue;
				exists = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
			}
			if (exists && link_in_place(t, &st, &ost, dirfd, name, objpath)) {
				e = NULL;
				break;
			}
			e = link_link(&skip, c, t, objpath, dirfd, name, exists > 0);
		} else {
			if (src < 0 && (e = cache_open_object(&src, NULL, c->cache, id)) != NULL)
				break;
			e = link_data(&skip, c, t, src, &src_used, dirfd, name, exists > 0, id, size,
				      exec);
		}
		if (e == NULL && !skip)
			break;
	}
	if (src >= 0)
		close(src);
	free(objpath);
	if (e && err_is(e, CAIRN_ERR_CORRUPT))
		return cache_quarantine(c->cache, id, e);
	if (e == NULL && i == c->types->n)
		return link_none_works(c->types, name, exec);
	if (e == NULL)
		*used = c->types->v[i];
	return e;
}
