/*
 * cache.c: content-addressed object cache. Inserts stream into
 * <dir>/tmp/wN/obj-PID-TIME-N while hashing (a temp folder per thread: threads
 * creating files in one folder wait on its lock); an object is renamed to
 * its name only once its hash is known and its bytes are durable. Large
 * objects are synced one by one (their writeback starts while they are
 * written); small ones are queued and made durable together by cache_flush
 * with one syncfs, as git's batch fsync mode does, and their new names with
 * a second one.
 */
#include "buildconf.h"

#include "core/cache.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fault.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/tempfile.h"
#include "core/xmalloc.h"

#define CACHE_OBJECT_MODE 0444
#define CACHE_SYNC_NOW (8u << 20)  /* objects this big are synced at once */
#define CACHE_WRITEBACK (8u << 20) /* start writeback every this many bytes */
#define CACHE_PENDING_MAX 8192     /* flush automatically past this many */
#define CACHE_CHUNK (1u << 20)
#define CACHE_DIRSYNC_MAX 8 /* more folders with new names: one syncfs */
#define CACHE_TMP_SHARDS 16 /* temp folders tmp/w0..w15, one per thread */
/* an object reused by an add is touched when older than this, for gc's grace */
#define CACHE_FRESH_NS (600LL * 1000000000LL)

struct cache_pending {
	char *tmp;     /* temp path, data not yet synced */
	struct oid id; /* final name */
	int tmpid;     /* tempfile registry slot */
};

struct cache {
	char *dir;               /* cache root */
	char *tmpdir;            /* <dir>/tmp */
	char *qdir;              /* quarantine for corrupt objects */
	int objfd;               /* <dir>/sha256, for *at calls */
	pthread_mutex_t lock;    /* guards the fields below */
	struct cache_pending *pending;
	size_t npending, cappending;
	unsigned char dirty[256]; /* fanout folders with new entries to fsync */
	int newfanout;            /* a fanout folder was created */
	bool chmod_needed;        /* the umask takes bits of CACHE_OBJECT_MODE away */
	char tag[48];             /* of temp names: cache_tag() */
	atomic_uint counter;
	atomic_uint shards_ready; /* bit N: tmp/wN exists and is registered */
	bool check_only;          /* cache_open_checker: hash, compare, keep nothing */
};

struct cache_writer {
	struct cache *c;
	int fd;
	int tmpid;
	char *tmp;
	struct hash_ctx h;
	uint64_t size;
	uint64_t wb_from; /* writeback started up to here */
};

/*
 * The middle of this process's temp names, "PID-TIME": the abnormal-exit
 * cleanup removes every obj-TAG-* of the temp folders, and a pid alone is
 * not this process's (another container sharing the cache has the same
 * pids). The same for every cache the process opens.
 */
static void cache_tag(char *tag, size_t size)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char cur[48];
	static long pid;

	pthread_mutex_lock(&lock);
	if (pid != (long)getpid()) {
		pid = (long)getpid();
		snprintf(cur, sizeof(cur), "%ld-%llx", pid,
			 (unsigned long long)fs_now_ns() & 0xffffffffffULL);
	}
	snprintf(tag, size, "%s", cur);
	pthread_mutex_unlock(&lock);
}

const struct cairn_error *cache_open(struct cache **out, const char *dir)
{
	const struct cairn_error *e;
	struct cache *c;
	char *objdir;

	objdir = fs_join(dir, "sha256");
	if ((e = fs_mkdirs(objdir, 0777)) != NULL) {
		free(objdir);
		return err_wrap(e, "cache");
	}
	c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	c->tmpdir = fs_join(dir, "tmp");
	c->qdir = fs_join(dir, "quarantine");
	if ((e = fs_mkdirs(c->tmpdir, 0777)) != NULL) {
		free(objdir);
		cache_close(c);
		return err_wrap(e, "cache");
	}
	c->objfd = open(objdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->objfd < 0) {
		e = err_errno("open cache '%s'", objdir);
		free(objdir);
		cache_close(c);
		return e;
	}
	free(objdir);
	pthread_mutex_init(&c->lock, NULL);
	{
		mode_t mask = umask(0);

		umask(mask);
		c->chmod_needed = (CACHE_OBJECT_MODE & mask) != 0;
	}
	cache_tag(c->tag, sizeof(c->tag));
	*out = c;
	return NULL;
}

const struct cairn_error *cache_open_checker(struct cache **out)
{
	struct cache *c = xcalloc(1, sizeof(*c));

	c->dir = xstrdup("");
	c->objfd = -1;
	c->check_only = true;
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return NULL;
}

void cache_close(struct cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->npending; i++) {
		unlink(c->pending[i].tmp);
		tempfile_forget(c->pending[i].tmpid);
		free(c->pending[i].tmp);
	}
	free(c->pending);
	if (c->objfd > 0)
		close(c->objfd);
	if (c->objfd > 0 || c->check_only)
		pthread_mutex_destroy(&c->lock);
	free(c->tmpdir);
	free(c->qdir);
	free(c->dir);
	free(c);
}

const char *cache_dir(const struct cache *c)
{
	return c->dir;
}

void cache_set_quarantine(struct cache *c, const char *dir)
{
	free(c->qdir);
	c->qdir = xstrdup(dir);
}

/* "ab/cdef..." relative to <dir>/sha256 */
static void cache_relname(char rel[CAIRN_OID_HEXLEN + 2], const struct oid *id)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	oid_tohex(hex, id);
	rel[0] = hex[0];
	rel[1] = hex[1];
	rel[2] = '/';
	memcpy(rel + 3, hex + 2, CAIRN_OID_HEXLEN - 2 + 1);
}

char *cache_path(const struct cache *c, const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2];

	cache_relname(rel, id);
	return xasprintf("%s/sha256/%s", c->dir, rel);
}

bool cache_has_size(const struct cache *c, const struct oid *id, uint64_t *size)
{
	char rel[CAIRN_OID_HEXLEN + 2];
	struct stat st;

	if (c->check_only)
		return false;
	cache_relname(rel, id);
	if (fstatat(c->objfd, rel, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return false;
	*size = (uint64_t)st.st_size;
	return true;
}

bool cache_has(const struct cache *c, const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2];
	struct stat st;

	if (c->check_only)
		return false;
	cache_relname(rel, id);
	return fstatat(c->objfd, rel, &st, 0) == 0 && S_ISREG(st.st_mode);
}

bool cache_has_fresh(const struct cache *c, const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2];
	struct stat st;
	int64_t mt;

	if (c->check_only)
		return false;
	cache_relname(rel, id);
	if (fstatat(c->objfd, rel, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return false;
	/*
	 * Touch old objects so gc's grace period keeps them while the pointer
	 * naming them is written. Not one that is hardlinked into a workspace:
	 * that would change the user's file, and the workspace keeps the data.
	 * A read-only (shared) cache may refuse: presence is what matters.
	 */
	mt = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	if (st.st_nlink == 1 && mt + CACHE_FRESH_NS < fs_now_ns())
		(void)utimensat(c->objfd, rel, NULL, 0);
	return true;
}

const struct cairn_error *cache_stat_object(struct stat *st, const struct cache *c,
					    const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2];

	cache_relname(rel, id);
	if (fstatat(c->objfd, rel, st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return err_new(CAIRN_ERR_NOT_FOUND, "object %s is not in the cache", oid_hex(id));
		return err_errno("stat object %s", oid_hex(id));
	}
	if (!S_ISREG(st->st_mode))
		return err_new(CAIRN_ERR_CORRUPT, "object %s is not a regular file", oid_hex(id));
	return NULL;
}

const struct cairn_error *cache_open_object(int *fd, uint64_t *size, const struct cache *c,
					    const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2];
	struct stat st;
	int f;

	cache_relname(rel, id);
	f = openat(c->objfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (f < 0) {
		if (errno == ENOENT)
			return err_new(CAIRN_ERR_NOT_FOUND, "object %s is not in the cache", oid_hex(id));
		return err_errno("open object %s", oid_hex(id));
	}
	if (fstat(f, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return err_new(CAIRN_ERR_CORRUPT, "object %s is not a regular file", oid_hex(id));
	}
	*fd = f;
	if (size)
		*size = (uint64_t)st.st_size;
	return NULL;
}

const struct cairn_error *cache_read_small(char **data, size_t *len, const struct cache *c,
					   const struct oid *id, size_t max)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	struct oid got;
	int fd;

	if ((e = cache_open_object(&fd, NULL, c, id)) != NULL)
		return e;
	buf_init(&b);
	e = fs_read_fd(&b, fd, max, oid_hex(id));
	close(fd);
	if (e) {
		buf_release(&b);
		return e;
	}
	hash_buf(&got, b.s, b.len);
	if (!oid_equal(&got, id)) {
		buf_release(&b);
		return err_new(CAIRN_ERR_CORRUPT, "cache object %s is corrupt (its content hashes to %s)",
			       oid_hex(id), oid_hex(&got));
	}
	*len = b.len;
	*data = buf_detach(&b);
	return NULL;
}

/* the temp folder of the calling thread: threads creating files in one folder wait on its lock */
static unsigned cache_shard(void)
{
	static atomic_uint next;
	static _Thread_local unsigned shard = UINT_MAX;

	if (shard == UINT_MAX)
		shard = atomic_fetch_add(&next, 1) % CACHE_TMP_SHARDS;
	return shard;
}

/*
 * Make the folder dir, or keep the folder already there. Anything else in
 * its place is not cairn's: a link would take the temp files out of the
 * cache, so it is removed first. -1 with errno on failure.
 */
static int cache_mkdir_real(const char *dir)
{
	struct stat st;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (mkdir(dir, 0777) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		if (unlink(dir) < 0 && errno != ENOENT)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* tmp/wN, made and registered for cleanup on an abnormal exit the first time it is used */
static const struct cairn_error *cache_shard_dir(char **dir, struct cache *c, unsigned shard)
{
	char prefix[64];

	*dir = xasprintf("%s/w%u", c->tmpdir, shard);
	if (atomic_load(&c->shards_ready) & (1u << shard))
		return NULL;
	if (cache_mkdir_real(*dir) < 0) {
		const struct cairn_error *e = err_errno("create temp folder '%s'", *dir);

		free(*dir);
		*dir = NULL;
		return e;
	}
	snprintf(prefix, sizeof(prefix), "obj-%s-", c->tag);
	tempfile_register_dir(*dir, prefix);
	atomic_fetch_or(&c->shards_ready, 1u << shard);
	return NULL;
}

const struct cairn_error *cache_writer_new(struct cache_writer **out, struct cache *c)
{
	const struct cairn_error *e;
	struct cache_writer *w;
	char *dir;

	if (c->check_only) { /* nothing is written: the hash is all */
		w = xcalloc(1, sizeof(*w));
		w->c = c;
		w->fd = -1;
		w->tmpid = -1;
		hash_init(&w->h);
		*out = w;
		return NULL;
	}
	if ((e = cache_shard_dir(&dir, c, cache_shard())) != NULL)
		return e;
	w = xcalloc(1, sizeof(*w));
	w->c = c;
	w->tmpid = -1; /* the folder is registered: an early exit removes obj-<tag>-* */
	/* read-only from the start: no chmod per object */
	for (;;) {
		w->tmp = xasprintf("%s/obj-%s-%u", dir, c->tag, atomic_fetch_add(&c->counter, 1));
		w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			     CACHE_OBJECT_MODE);
		if (w->fd >= 0 || errno != EEXIST)
			break;
		free(w->tmp); /* left by an earlier process with the same pid */
	}
	if (w->fd >= 0 && tempfile_is_dying()) { /* made after the exit cleanup swept */
		close(w->fd);
		unlink(w->tmp);
		w->fd = -1;
		e = err_new(CAIRN_ERR_CANCELLED, "interrupted");
	}
	if (w->fd < 0) {
		if (e == NULL)
			e = err_errno("create temp file in '%s'", dir);
		free(dir);
		free(w->tmp);
		free(w);
		return e;
	}
	free(dir);
	hash_init(&w->h);
	*out = w;
	return NULL;
}

static void cache_writer_free(struct cache_writer *w, bool unlink_tmp)
{
	if (w->fd >= 0)
		close(w->fd);
	if (unlink_tmp && w->tmp) {
		unlink(w->tmp);
		tempfile_forget(w->tmpid);
	}
	hash_release(&w->h);
	free(w->tmp);
	free(w);
}

void cache_writer_abort(struct cache_writer *w)
{
	if (w)
		cache_writer_free(w, true);
}

const struct cairn_error *cache_writer_write(struct cache_writer *w, const void *data, size_t n)
{
	const struct cairn_error *e;

	fault_point("cache-write");
	hash_update(&w->h, data, n);
	if (w->c->check_only) {
		w->size += n;
		return NULL;
	}
	if ((e = fs_write_all(w->fd, data, n)) != NULL)
		return err_wrap(e, "write to cache");
	w->size += n;
#ifdef HAVE_SYNC_FILE_RANGE
	if (w->size - w->wb_from >= CACHE_WRITEBACK) {
		sync_file_range(w->fd, (off_t)w->wb_from, (off_t)(w->size - w->wb_from),
				SYNC_FILE_RANGE_WRITE);
		w->wb_from = w->size;
	}
#endif
	return NULL;
}

/* Move a synced temp file to its final name without replacing anything. */
static const struct cairn_error *cache_publish(struct cache *c, const char *tmp,
					       const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2];
	char fan[3];

	cache_relname(rel, id);
	memcpy(fan, rel, 2);
	fan[2] = '\0';
	for (;;) {
		if (renameat2(AT_FDCWD, tmp, c->objfd, rel, RENAME_NOREPLACE) == 0)
			break;
		if (errno == EEXIST) {
			unlink(tmp); /* same content already there */
			return NULL;
		}
		if (errno == ENOENT) {
			if (mkdirat(c->objfd, fan, 0777) < 0 && errno != EEXIST)
				return err_errno("mkdir cache folder '%s'", fan);
			c->newfanout = 1;
			if (renameat2(AT_FDCWD, tmp, c->objfd, rel, RENAME_NOREPLACE) == 0)
				break;
			if (errno == EEXIST) {
				unlink(tmp);
				return NULL;
			}
		}
		if (errno == EINVAL || errno == ENOSYS) {
			/* no RENAME_NOREPLACE here: link + unlink never replaces */
			if (linkat(AT_FDCWD, tmp, c->objfd, rel, 0) < 0 && errno != EEXIST)
				return err_errno("add object %s to the cache", oid_hex(id));
			unlink(tmp);
			break;
		}
		return err_errno("add object %s to the cache", oid_hex(id));
	}
	c->dirty[id->b[0]] = 1;
	return NULL;
}

const struct cairn_error *cache_writer_finish(struct oid *id, struct cache_writer *w,
					      const struct oid *expect)
{
	const struct cairn_error *e = NULL;
	struct cache *c = w->c;
	bool flush;

	hash_final(&w->h, id);
	fault_point("cache-finish");
	if (expect && !oid_equal(id, expect)) {
		e = err_new(CAIRN_ERR_CORRUPT, "content hashes to %s, expected %s", oid_hex(id),
			    oid_hex(expect));
		cache_writer_free(w, true);
		return e;
	}
	if (c->check_only || cache_has_fresh(c, id)) {
		cache_writer_free(w, true);
		return NULL;
	}
	if (c->chmod_needed && fchmod(w->fd, CACHE_OBJECT_MODE) < 0) {
		e = err_errno("chmod cache object");
		cache_writer_free(w, true);
		return e;
	}
	if (w->size >= CACHE_SYNC_NOW) {
		if (fdatasync(w->fd) < 0) {
			e = err_errno("sync cache object");
			cache_writer_free(w, true);
			return e;
		}
		fault_point("cache-publish");
		pthread_mutex_lock(&c->lock);
		e = cache_publish(c, w->tmp, id);
		pthread_mutex_unlock(&c->lock);
		if (e == NULL)
			tempfile_forget(w->tmpid);
		cache_writer_free(w, e != NULL);
		return e;
	}
	if (close(w->fd) < 0) {
		w->fd = -1;
		e = err_errno("close cache object");
		cache_writer_free(w, true);
		return e;
	}
	w->fd = -1;
	pthread_mutex_lock(&c->lock);
	XGROW(c->pending, c->npending + 1, c->cappending);
	c->pending[c->npending].tmp = w->tmp;
	c->pending[c->npending].id = *id;
	c->pending[c->npending].tmpid = w->tmpid;
	c->npending++;
	flush = c->npending >= CACHE_PENDING_MAX;
	w->tmp = NULL;
	pthread_mutex_unlock(&c->lock);
	hash_release(&w->h);
	free(w);
	if (flush)
		return cache_flush(c);
	return NULL;
}

const struct cairn_error *cache_insert_fd(struct oid *id, uint64_t *size, struct cache *c, int fd)
{
	const struct cairn_error *e;
	struct cache_writer *w;
	char *chunk;

	if ((e = cache_writer_new(&w, c)) != NULL)
		return e;
	chunk = xmalloc(CACHE_CHUNK);
	for (;;) {
		ssize_t n = read(fd, chunk, CACHE_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = err_errno("read");
			break;
		}
		if (n == 0)
			break;
		if ((e = cache_writer_write(w, chunk, (size_t)n)) != NULL)
			break;
	}
	free(chunk);
	if (e) {
		cache_writer_abort(w);
		return e;
	}
	if (size)
		*size = w->size;
	return cache_writer_finish(id, w, NULL);
}

const struct cairn_error *cache_insert_buf(struct oid *id, struct cache *c, const void *data,
					   size_t len)
{
	const struct cairn_error *e;
	struct cache_writer *w;

	hash_buf(id, data, len);
	if (cache_has_fresh(c, id))
		return NULL;
	if ((e = cache_writer_new(&w, c)) != NULL)
		return e;
	if ((e = cache_writer_write(w, data, len)) != NULL) {
		cache_writer_abort(w);
		return e;
	}
	return cache_writer_finish(id, w, id);
}

const struct cairn_error *cache_flush(struct cache *c)
{
	const struct cairn_error *e = NULL;
	size_t i;
	int b, ndirty;

	pthread_mutex_lock(&c->lock);
	if (c->npending > 0) {
#ifdef HAVE_SYNCFS
		if (syncfs(c->objfd) < 0)
			e = err_errno("sync cache");
#else
		sync();
#endif
		fault_point("cache-flush");
		for (i = 0; i < c->npending; i++) {
			if (e == NULL) {
				fault_point("cache-publish");
				e = cache_publish(c, c->pending[i].tmp, &c->pending[i].id);
			}
			if (e != NULL)
				unlink(c->pending[i].tmp);
			tempfile_forget(c->pending[i].tmpid);
			free(c->pending[i].tmp);
		}
		c->npending = 0;
	}
	/*
	 * Make the new names durable: an fsync per folder that has some, or
	 * one syncfs when there are many (a folder fsync is a journal commit
	 * each; syncfs commits them all at once).
	 */
	for (b = 0, ndirty = 0; b < 256; b++)
		ndirty += c->dirty[b];
#ifdef HAVE_SYNCFS
	if (ndirty > CACHE_DIRSYNC_MAX) {
		if (syncfs(c->objfd) < 0)
			e = err_errno("sync cache");
		memset(c->dirty, 0, sizeof(c->dirty));
		c->newfanout = 0;
	}
#endif
	for (b = 0; b < 256 && e == NULL; b++) {
		char fan[3];
		int fd;

		if (!c->dirty[b])
			continue;
		c->dirty[b] = 0;
		snprintf(fan, sizeof(fan), "%02x", b);
		fd = openat(c->objfd, fan, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || (fsync(fd) < 0 && errno != EINVAL))
			e = err_errno("sync cache folder '%s'", fan);
		if (fd >= 0)
			close(fd);
	}
	if (e == NULL && c->newfanout) {
		c->newfanout = 0;
		if (fsync(c->objfd) < 0 && errno != EINVAL)
			e = err_errno("sync cache folder");
	}
	pthread_mutex_unlock(&c->lock);
	return e;
}

const struct cairn_error *cache_verify(const struct cache *c, const struct oid *id)
{
	const struct cairn_error *e;
	struct oid got;
	int fd;

	if ((e = cache_open_object(&fd, NULL, c, id)) != NULL)
		return e;
	e = hash_fd(&got, NULL, fd);
	close(fd);
	if (e)
		return err_wrap(e, "object %s", oid_hex(id));
	if (!oid_equal(&got, id))
		return err_new(CAIRN_ERR_CORRUPT, "cache object %s is corrupt (its content hashes to %s)",
			       oid_hex(id), oid_hex(&got));
	return NULL;
}

/* Move object rel into folder qdir under a name not used yet; the new path or NULL. */
static char *cache_move_aside(const struct cache *c, const char *rel, const char *hex,
			      const char *qdir, int *err)
{
	char *dst;
	int n;

	*err = 0;
	if (fs_mkdirs(qdir, 0777) != NULL) {
		*err = errno;
		return NULL;
	}
	for (n = 0; n < 1000; n++) {
		dst = n ? xasprintf("%s/%s.%d", qdir, hex, n) : xasprintf("%s/%s", qdir, hex);
		if (renameat2(c->objfd, rel, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
			return dst;
		*err = errno;
		if (*err == EINVAL && faccessat(AT_FDCWD, dst, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
		    renameat(c->objfd, rel, AT_FDCWD, dst) == 0)
			return dst; /* no RENAME_NOREPLACE on this file system */
		free(dst);
		if (*err != EEXIST)
			return NULL;
	}
	return NULL;
}

const struct cairn_error *cache_quarantine_object(char **dst, struct cache *c,
						  const struct oid *id)
{
	char rel[CAIRN_OID_HEXLEN + 2], *fallback;
	int err;

	cache_relname(rel, id);
	*dst = cache_move_aside(c, rel, oid_hex(id), c->qdir, &err);
	if (*dst == NULL && err == EXDEV) {
		/* the cache is on another file system: keep it beside the cache */
		fallback = fs_join(c->dir, "quarantine");
		*dst = cache_move_aside(c, rel, oid_hex(id), fallback, &err);
		free(fallback);
	}
	if (*dst == NULL)
		return err_sys(err, "move object %s to the quarantine", oid_hex(id));
	return NULL;
}

const struct cairn_error *cache_quarantine(struct cache *c, const struct oid *id,
					   const struct cairn_error *e)
{
	struct err_copy saved;
	char *dst;

	err_save(&saved, e);
	if (cache_quarantine_object(&dst, c, id) == NULL)
		e = err_new(saved.code, "%s; moved to '%s'", saved.msg, dst);
	else
		e = err_load(&saved);
	free(dst);
	return e;
}
