/*
 * local.c: the local folder backend. An upload streams the cache object
 * into <folder>/tmp/ while hashing it (a corrupt cache object never
 * reaches the remote), then the temp file is synced and renamed to its
 * object name, so no object name ever holds a partial file. As in the
 * cache, small objects are synced together (one syncfs) before their
 * renames; large ones one by one. A download is hashed while it streams
 * into a cache_writer with the expected id, so a damaged remote object
 * never enters the cache. Objects are reached through descriptors of the
 * fan-out folders opened without following symlinks, so nothing planted
 * in the folder sends a write elsewhere. Every batch runs on core/par's
 * thread pool.
 */
#include "buildconf.h"

#include "remotes/local.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fault.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/tempfile.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"

#define LOCAL_CHUNK (1u << 20)
#define LOCAL_SYNC_NOW (8u << 20)       /* objects this big are synced at once */
#define LOCAL_WRITEBACK (8u << 20)      /* start writeback every this many bytes */
#define LOCAL_OBJECT_MODE 0444
#define LOCAL_STALE_TMP (24 * 3600)     /* temp files older than this are removed */
#define LOCAL_FAN_ABSENT (-2)           /* a fan-out folder found missing in this batch */

struct local_remote {
	struct remote base;
	char *dir; /* absolute folder */
};

struct local_pending {
	char name[32];  /* temp name in <folder>/tmp */
	struct oid id;  /* final name */
	uint64_t size;
	size_t item;    /* index in the batch */
	int tmpid;      /* tempfile registry slot */
};

/* One batch call. */
struct local_run {
	struct local_remote *lr;
	struct cache *c;
	struct remote_item *items;
	const struct remote_batch *b;
	int objfd, tmpfd;       /* <folder>/sha256 and <folder>/tmp */
	int fanfd[256];         /* <folder>/sha256/xx once opened, -1, or LOCAL_FAN_ABSENT */
	char **chunk;           /* one buffer per thread */
	pthread_mutex_t lock;   /* progress, pending, dirty and fanfd */
	struct local_pending *pending;
	size_t npending, cappending;
	unsigned char dirty[256]; /* fanout folders with new names */
	bool newfan;
};

/* An object's name inside its fan-out folder: the hex past the first two digits. */
static void local_objname(char name[CAIRN_OID_HEXLEN - 1], const struct oid *id)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	oid_tohex(hex, id);
	memcpy(name, hex + 2, CAIRN_OID_HEXLEN - 2 + 1);
}

/*
 * "file:///a%20b" -> "/a b"; "~/x" -> "$HOME/x" (as git does for paths in
 * its configuration); another path stays itself. NULL for another host or
 * an escape that decodes to NUL.
 */
static char *local_url_path(const char *url)
{
	const char *p = url, *home = getenv("HOME");
	char *out, *o;

	if (strncmp(url, "~/", 2) == 0 && home && *home)
		return fs_join(home, url + 2);
	if (strncasecmp(url, "file://", 7) != 0)
		return xstrdup(url);
	p = url + 7;
	if (strncasecmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/')
		return NULL;
	out = o = xmalloc(strlen(p) + 1);
	for (; *p; p++) {
		unsigned hi, lo;

		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			sscanf(p + 1, "%1x%1x", &hi, &lo);
			if ((hi << 4 | lo) == 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi << 4 | lo);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static const struct cairn_error *local_err(const struct local_remote *lr, int errnum,
					   const char *what)
{
	return err_sys(errnum, "remote '%s': %s '%s'", lr->base.name, what, lr->dir);
}

/*
 * Open the remote's folders. A missing folder whose parent exists is an
 * empty remote (*empty, unless create makes it); a missing parent is an
 * error, so an unmounted disk is never mistaken for an empty remote.
 */
static const struct cairn_error *local_open_dirs(struct local_run *run, bool create, bool *empty)
{
	struct local_remote *lr = run->lr;
	int rootfd;

	*empty = false;
	run->objfd = run->tmpfd = -1;
	rootfd = open(lr->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 && errno == ENOENT) {
		char *parent = fs_dirname(lr->dir);
		struct stat st;
		bool ok = stat(parent, &st) == 0 && S_ISDIR(st.st_mode);

		free(parent);
		if (!ok)
			return err_hint(local_err(lr, ENOENT, "cannot reach folder"),
					"is the disk mounted? the folder's parent must exist");
		if (!create) {
			*empty = true;
			return NULL;
		}
		if (mkdir(lr->dir, 0777) < 0 && errno != EEXIST)
			return local_err(lr, errno, "cannot create folder");
		rootfd = open(lr->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (rootfd < 0)
		return local_err(lr, errno, "cannot open folder");
	if (create) {
		if ((mkdirat(rootfd, "sha256", 0777) < 0 && errno != EEXIST) ||
		    (mkdirat(rootfd, "tmp", 0777) < 0 && errno != EEXIST)) {
			int errnum = errno;

			close(rootfd);
			return local_err(lr, errnum, "cannot write to folder");
		}
		run->tmpfd = openat(rootfd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (run->tmpfd < 0) {
			int errnum = errno;

			close(rootfd);
			return local_err(lr, errnum, "cannot open the tmp folder of");
		}
	}
	run->objfd = openat(rootfd, "sha256", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (run->objfd < 0) {
		int errnum = errno;

		close(rootfd);
		if (errnum == ENOENT && !create) {
			*empty = true; /* a folder nothing was pushed to yet */
			return NULL;
		}
		return local_err(lr, errnum, "cannot open the objects of");
	}
	close(rootfd);
	return NULL;
}

static void local_close_dirs(struct local_run *run)
{
	int b;

	for (b = 0; b < 256; b++)
		if (run->fanfd[b] >= 0)
			close(run->fanfd[b]);
	if (run->objfd >= 0)
		close(run->objfd);
	if (run->tmpfd >= 0)
		close(run->tmpfd);
	run->objfd = run->tmpfd = -1;
	for (b = 0; b < 256; b++)
		run->fanfd[b] = -1;
}

/*
 * The fan-out folder of id, opened once per batch (create: made when
 * missing). *fd is -1 when it does not exist. A symlink or a file in its
 * place is an error: objects are never read or written through one.
 */
static const struct cairn_error *local_fan(int *fd, struct local_run *run, const struct oid *id,
					   bool create)
{
	const struct cairn_error *e = NULL;
	int b = id->b[0];
	char fan[3];

	pthread_mutex_lock(&run->lock);
	*fd = run->fanfd[b];
	if (*fd >= 0 || (*fd == LOCAL_FAN_ABSENT && !create)) {
		*fd = *fd >= 0 ? *fd : -1; /* missing: asked once per batch, until a put makes it */
		pthread_mutex_unlock(&run->lock);
		return NULL;
	}
	snprintf(fan, sizeof(fan), "%02x", b);
	*fd = openat(run->objfd, fan, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0 && errno == ENOENT && create) {
		if (mkdirat(run->objfd, fan, 0777) < 0 && errno != EEXIST)
			e = err_sys(errno, "remote '%s': cannot create folder 'sha256/%s' in '%s'",
				    run->lr->base.name, fan, run->lr->dir);
		else
			run->newfan = true;
		if (e == NULL)
			*fd = openat(run->objfd, fan, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (e == NULL && *fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		e = err_new(CAIRN_ERR_CORRUPT,
			    "remote '%s': 'sha256/%s' in '%s' is not a folder (a symlink or a file)",
			    run->lr->base.name, fan, run->lr->dir);
	else if (e == NULL && *fd < 0 && errno != ENOENT)
		e = err_sys(errno, "remote '%s': cannot open folder 'sha256/%s' in '%s'",
			    run->lr->base.name, fan, run->lr->dir);
	if (*fd >= 0)
		run->fanfd[b] = *fd;
	else if (e == NULL)
		run->fanfd[b] = LOCAL_FAN_ABSENT;
	pthread_mutex_unlock(&run->lock);
	return e;
}

static void local_run_init(struct local_run *run, struct remote *r, struct cache *c,
			   struct remote_item *items, const struct remote_batch *b)
{
	int i;

	memset(run, 0, sizeof(*run));
	run->lr = (struct local_remote *)r;
	run->c = c;
	run->items = items;
	run->b = b;
	run->objfd = run->tmpfd = -1;
	for (i = 0; i < 256; i++)
		run->fanfd[i] = -1;
	pthread_mutex_init(&run->lock, NULL);
}

static int local_jobs(const struct local_run *run)
{
	return run->b->jobs > 0 ? run->b->jobs : run->lr->base.jobs;
}

static void local_run_release(struct local_run *run)
{
	int i, n = local_jobs(run);

	for (i = 0; run->chunk && i < n; i++)
		free(run->chunk[i]);
	free(run->chunk);
	free(run->pending);
	local_close_dirs(run);
	pthread_mutex_destroy(&run->lock);
}

static char *local_chunk(struct local_run *run, int thread)
{
	if (run->chunk[thread] == NULL)
		run->chunk[thread] = xmalloc(LOCAL_CHUNK);
	return run->chunk[thread];
}

static void local_progress(struct local_run *run, uint64_t bytes, uint64_t objects)
{
	if (run->b->progress == NULL || (bytes == 0 && objects == 0))
		return;
	pthread_mutex_lock(&run->lock);
	run->b->progress(bytes, objects, run->b->progress_arg);
	pthread_mutex_unlock(&run->lock);
}

static const struct cairn_error *local_cancelled(struct local_run *run)
{
	return run->b->cancel ? run->b->cancel(run->b->cancel_arg) : NULL;
}

/* Run fn over every item; items are PENDING until fn sets them. */
static const struct cairn_error *local_batch(struct local_run *run, size_t n, par_item_cb fn)
{
	size_t i;

	for (i = 0; i < n; i++)
		run->items[i].state = REMOTE_PENDING;
	run->chunk = xcalloc((size_t)local_jobs(run), sizeof(char *));
	return par_run(n, local_jobs(run), fn, run, run->b->cancel, run->b->cancel_arg);
}

/* ---- exists ---- */

/*
 * Present: a regular file under the object's name (in fan-out folder fanfd)
 * with the expected size; *mtime_ns (may be NULL) gets its modification time.
 */
static bool local_present(int fanfd, const struct remote_item *it, int64_t *mtime_ns)
{
	char name[CAIRN_OID_HEXLEN - 1];
	struct stat st;

	local_objname(name, &it->id);
	if (fanfd < 0 || fstatat(fanfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return false;
	if (mtime_ns)
		*mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return it->size == REMOTE_SIZE_UNKNOWN || (uint64_t)st.st_size == it->size;
}

static const struct cairn_error *local_exists_one(void *arg, size_t i, int thread)
{
	const struct cairn_error *e;
	struct local_run *run = arg;
	int fanfd;

	(void)thread;
	if ((e = local_fan(&fanfd, run, &run->items[i].id, false)) != NULL) {
		run->items[i].state = REMOTE_FAILED;
		return e;
	}
	run->items[i].state = local_present(fanfd, &run->items[i], &run->items[i].mtime_ns)
				      ? REMOTE_DONE
				      : REMOTE_MISSING;
	return NULL;
}

/*
 * Run one_fn on every item of a batch that needs no cache; on a remote
 * with no object folder yet each item is given the state when_empty.
 */
static const struct cairn_error *local_each(struct remote *r, struct remote_item *items, size_t n,
					    const struct remote_batch *b,
					    enum remote_item_state when_empty,
					    par_item_cb one_fn)
{
	const struct cairn_error *e;
	struct local_run run;
	bool empty;
	size_t i;

	local_run_init(&run, r, NULL, items, b);
	e = local_open_dirs(&run, false, &empty);
	if (e == NULL && empty)
		for (i = 0; i < n; i++)
			items[i].state = when_empty;
	else if (e == NULL)
		e = local_batch(&run, n, one_fn);
	local_run_release(&run);
	return e;
}

static const struct cairn_error *local_exists(struct remote *r, struct remote_item *items,
					      size_t n, const struct remote_batch *b)
{
	return local_each(r, items, n, b, REMOTE_MISSING, local_exists_one);
}

/* ---- put ---- */

/* Give a synced temp file its object name; a complete object already there wins. */
static const struct cairn_error *local_publish(struct local_run *run, const char *tmp,
					       const struct oid *id, uint64_t size)
{
	const struct cairn_error *e;
	char name[CAIRN_OID_HEXLEN - 1];
	struct remote_item want;
	int rc, errnum, fanfd;

	if ((e = local_fan(&fanfd, run, id, true)) != NULL)
		return e;
	local_objname(name, id);
	rc = renameat2(run->tmpfd, tmp, fanfd, name, RENAME_NOREPLACE);
	if (rc < 0) {
		errnum = errno;
		want.id = *id;
		want.size = size;
		if (errnum == EEXIST && local_present(fanfd, &want, NULL)) {
			unlinkat(run->tmpfd, tmp, 0);
			return NULL;
		}
		if (errnum == EEXIST || errnum == EINVAL || errnum == ENOSYS) {
			/* a damaged file under the name, or no RENAME_NOREPLACE here: replace it */
			rc = renameat(run->tmpfd, tmp, fanfd, name);
			errnum = errno;
		}
		if (rc < 0)
			return err_sys(errnum, "remote '%s': cannot write object %s in '%s'",
				       run->lr->base.name, oid_hex(id), run->lr->dir);
	}
	pthread_mutex_lock(&run->lock);
	run->dirty[id->b[0]] = 1;
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

/* Copy one cache object to a temp file, hashing it; the fd stays open for the sync. */
static const struct cairn_error *local_copy(struct local_run *run, int thread, int src, int dst,
					    const struct oid *id, uint64_t *size)
{
	const struct cairn_error *e = NULL;
	char *chunk = local_chunk(run, thread);
	uint64_t wb_from = 0; /* writeback started up to here */
	struct hash_ctx h;
	struct oid got;

	hash_init(&h);
	*size = 0;
	for (;;) {
		ssize_t n = read(src, chunk, LOCAL_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = err_errno("read cache object %s", oid_hex(id));
			break;
		}
		if (n == 0)
			break;
		hash_update(&h, chunk, (size_t)n);
		if ((e = fs_write_all(dst, chunk, (size_t)n)) != NULL) {
			e = err_wrap(e, "remote '%s'", run->lr->base.name);
			break;
		}
		*size += (uint64_t)n;
#ifdef HAVE_SYNC_FILE_RANGE
		/* the disk writes while the next chunks are hashed: the final sync waits less */
		if (*size - wb_from >= LOCAL_WRITEBACK) {
			sync_file_range(dst, (off_t)wb_from, (off_t)(*size - wb_from),
					SYNC_FILE_RANGE_WRITE);
			wb_from = *size;
		}
#endif
		local_progress(run, (uint64_t)n, 0);
		fault_point("remote-put"); /* tests: a push killed part-way (C05) */
		if ((e = local_cancelled(run)) != NULL)
			break;
	}
	hash_final(&h, &got);
	hash_release(&h);
	if (e == NULL && !oid_equal(&got, id))
		e = err_new(CAIRN_ERR_CORRUPT,
			    "cache object %s is corrupt (its content hashes to %s); not uploaded",
			    oid_hex(id), oid_hex(&got));
	return e;
}

static const struct cairn_error *local_put_one(void *arg, size_t i, int thread)
{
	const struct cairn_error *e;
	struct local_run *run = arg;
	struct remote_item *it = &run->items[i];
	char name[32], *path;
	uint64_t size;
	int src, dst, tmpid, fanfd;

	if ((e = local_fan(&fanfd, run, &it->id, false)) != NULL) {
		it->state = REMOTE_FAILED;
		return e;
	}
	if (local_present(fanfd, it, NULL)) {
		it->state = REMOTE_DONE;
		local_progress(run, 0, 1);
		return NULL;
	}
	if ((e = cache_open_object(&src, &size, run->c, &it->id)) != NULL) {
		it->state = REMOTE_FAILED;
		return e;
	}
	path = xasprintf("%s/tmp/put-XXXXXX", run->lr->dir);
	dst = mkostemp(path, O_CLOEXEC);
	snprintf(name, sizeof(name), "%s", fs_basename(path));
	tmpid = dst >= 0 ? tempfile_register(path) : -1;
	free(path);
	if (dst < 0) {
		close(src);
		it->state = REMOTE_FAILED;
		return local_err(run->lr, errno, "cannot write a temp file in");
	}
	e = local_copy(run, thread, src, dst, &it->id, &size);
	close(src);
	if (e == NULL && fchmod(dst, LOCAL_OBJECT_MODE) < 0)
		e = local_err(run->lr, errno, "cannot write to folder");
	if (e == NULL && size >= LOCAL_SYNC_NOW) {
		if (fdatasync(dst) < 0)
			e = local_err(run->lr, errno, "cannot sync a file in");
		if (close(dst) < 0 && e == NULL)
			e = local_err(run->lr, errno, "cannot write to folder");
		dst = -1;
		if (e == NULL)
			e = local_publish(run, name, &it->id, size);
		if (e == NULL)
			tempfile_forget(tmpid);
	} else if (e == NULL) {
		if (close(dst) < 0)
			e = local_err(run->lr, errno, "cannot write to folder");
		dst = -1;
		if (e == NULL) {
			pthread_mutex_lock(&run->lock);
			XGROW(run->pending, run->npending + 1, run->cappending);
			memcpy(run->pending[run->npending].name, name, sizeof(name));
			run->pending[run->npending].id = it->id;
			run->pending[run->npending].size = size;
			run->pending[run->npending].item = i;
			run->pending[run->npending].tmpid = tmpid;
			run->npending++;
			pthread_mutex_unlock(&run->lock);
		}
	}
	if (dst >= 0)
		close(dst);
	if (e) {
		unlinkat(run->tmpfd, name, 0);
		tempfile_forget(tmpid);
		it->state = REMOTE_FAILED;
		return e;
	}
	it->state = REMOTE_DONE;
	local_progress(run, 0, 1);
	return NULL;
}

/*
 * Sync the small temp files together, name them, then sync the new names.
 * One that cannot be named is FAILED (the first error is returned); the
 * others are named all the same.
 */
static const struct cairn_error *local_flush(struct local_run *run)
{
	const struct cairn_error *e = NULL, *se = NULL, *pe;
	size_t i;
	int b;

	if (run->npending > 0 && syncfs(run->tmpfd) < 0)
		e = se = local_err(run->lr, errno, "cannot sync");
	for (i = 0; i < run->npending; i++) {
		struct local_pending *p = &run->pending[i];

		pe = se ? se : local_publish(run, p->name, &p->id, p->size);
		if (pe != NULL) {
			run->items[p->item].state = REMOTE_FAILED; /* its path names the error */
			unlinkat(run->tmpfd, p->name, 0);
			if (e == NULL)
				e = pe;
		}
		tempfile_forget(p->tmpid);
	}
	run->npending = 0;
	for (b = 0; b < 256; b++) {
		int fd;

		if (!run->dirty[b])
			continue;
		run->dirty[b] = 0;
		fd = run->fanfd[b]; /* opened by local_publish */
		if ((fd < 0 || (fsync(fd) < 0 && errno != EINVAL)) && e == NULL)
			e = local_err(run->lr, fd < 0 ? EBADF : errno, "cannot sync");
	}
	if (run->newfan && fsync(run->objfd) < 0 && errno != EINVAL && e == NULL)
		e = local_err(run->lr, errno, "cannot sync");
	return e;
}

/* Remove temp files that a killed upload left behind long ago. */
static void local_sweep_tmp(struct local_run *run)
{
	int fd = dup(run->tmpfd);
	time_t now = time(NULL);
	struct dirent *de;
	DIR *d;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strncmp(de->d_name, "put-", 4) != 0)
			continue;
		if (fstatat(run->tmpfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && now - st.st_mtime > LOCAL_STALE_TMP)
			unlinkat(run->tmpfd, de->d_name, 0);
	}
	closedir(d);
}

static const struct cairn_error *local_put(struct remote *r, struct cache *c,
					   struct remote_item *items, size_t n,
					   const struct remote_batch *b)
{
	const struct cairn_error *e, *fe;
	struct local_run run;
	bool empty;

	local_run_init(&run, r, c, items, b);
	if (n == 0) {
		local_run_release(&run);
		return NULL;
	}
	e = local_open_dirs(&run, true, &empty);
	if (e == NULL) {
		local_sweep_tmp(&run);
		e = local_batch(&run, n, local_put_one);
		/* what was copied completely is published even when another item failed */
		fe = local_flush(&run);
		if (e == NULL)
			e = fe;
	}
	local_run_release(&run);
	return e;
}

/* ---- get ---- */

static const struct cairn_error *local_get_one(void *arg, size_t i, int thread)
{
	const struct cairn_error *e = NULL;
	struct local_run *run = arg;
	struct remote_item *it = &run->items[i];
	char name[CAIRN_OID_HEXLEN - 1], *chunk;
	struct cache_writer *w;
	struct oid got;
	struct stat st;
	int fd, fanfd;

	if (cache_has(run->c, &it->id)) {
		it->state = REMOTE_DONE;
		local_progress(run, 0, 1);
		return NULL;
	}
	if ((e = local_fan(&fanfd, run, &it->id, false)) != NULL) {
		it->state = REMOTE_FAILED;
		return e;
	}
	local_objname(name, &it->id);
	errno = ENOENT;
	fd = fanfd < 0 ? -1 : openat(fanfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		it->state = REMOTE_MISSING;
		return NULL;
	}
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		e = fd < 0 && errno != ELOOP
			    ? err_sys(errno, "remote '%s': read object %s", run->lr->base.name,
				      oid_hex(&it->id))
			    : err_new(CAIRN_ERR_CORRUPT, "remote '%s': object %s is not a regular file",
				      run->lr->base.name, oid_hex(&it->id));
		if (fd >= 0)
			close(fd);
		it->state = REMOTE_FAILED;
		return e;
	}
	chunk = local_chunk(run, thread);
	if ((e = cache_writer_new(&w, run->c)) != NULL) {
		close(fd);
		it->state = REMOTE_FAILED;
		return e;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, LOCAL_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = err_errno("remote '%s': read object %s", run->lr->base.name,
				      oid_hex(&it->id));
			break;
		}
		if (n == 0)
			break;
		if ((e = cache_writer_write(w, chunk, (size_t)n)) != NULL)
			break;
		local_progress(run, (uint64_t)n, 0);
		fault_point("remote-get"); /* tests: a fetch killed part-way */
		if ((e = local_cancelled(run)) != NULL)
			break;
	}
	close(fd);
	if (e) {
		cache_writer_abort(w);
		it->state = REMOTE_FAILED;
		return e;
	}
	e = cache_writer_finish(&got, w, &it->id);
	if (err_is(e, CAIRN_ERR_CORRUPT))
		e = err_hint(err_new(CAIRN_ERR_CORRUPT,
				     "object %s on remote '%s' is corrupt (its content hashes to %s); not fetched",
				     oid_hex(&it->id), run->lr->base.name, oid_hex(&got)),
			     "run 'cairn push --verify' in a clone that has a good copy: it replaces "
			     "damaged objects on the remote");
	if (e) {
		it->state = REMOTE_FAILED;
		return e;
	}
	it->state = REMOTE_DONE;
	local_progress(run, 0, 1);
	return NULL;
}

static const struct cairn_error *local_get(struct remote *r, struct cache *c,
					   struct remote_item *items, size_t n,
					   const struct remote_batch *b)
{
	const struct cairn_error *e;
	struct local_run run;
	bool empty;
	size_t i;

	local_run_init(&run, r, c, items, b);
	e = local_open_dirs(&run, false, &empty);
	if (e == NULL && empty)
		for (i = 0; i < n; i++)
			items[i].state = cache_has(c, &items[i].id) ? REMOTE_DONE : REMOTE_MISSING;
	else if (e == NULL)
		e = local_batch(&run, n, local_get_one);
	local_run_release(&run);
	return e;
}

/* ---- list ---- */

static bool local_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

static const struct cairn_error *local_list_fan(struct local_run *run, const char *fan,
						remote_list_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	char hex[CAIRN_OID_HEXLEN + 1];
	struct dirent *de;
	struct oid id;
	DIR *d;
	int fd;

	fd = openat(run->objfd, fan, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		e = local_err(run->lr, errno, "cannot list folder");
		if (fd >= 0)
			close(fd);
		return e;
	}
	memcpy(hex, fan, 2);
	while (e == NULL && (de = readdir(d)) != NULL) {
		struct stat st;

		if (!local_is_hex(de->d_name, CAIRN_OID_HEXLEN - 2))
			continue; /* temp and foreign names */
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		/* the age is gc --cloud's grace; a file gone meanwhile was deleted */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		memcpy(hex + 2, de->d_name, CAIRN_OID_HEXLEN - 2 + 1);
		if (oid_fromhex(&id, hex))
			e = cb(&id, (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
			       arg);
		if (e == NULL)
			e = local_cancelled(run);
	}
	closedir(d);
	return e;
}

static const struct cairn_error *local_list(struct remote *r, remote_list_cb cb, void *arg,
					    const struct remote_batch *b)
{
	const struct cairn_error *e;
	struct local_run run;
	struct dirent *de;
	bool empty;
	DIR *d;
	int fd;

	local_run_init(&run, r, NULL, NULL, b);
	e = local_open_dirs(&run, false, &empty);
	if (e || empty) {
		local_run_release(&run);
		return e;
	}
	fd = dup(run.objfd);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		e = local_err(run.lr, errno, "cannot list folder");
		if (fd >= 0)
			close(fd);
		local_run_release(&run);
		return e;
	}
	while (e == NULL && (de = readdir(d)) != NULL)
		if (local_is_hex(de->d_name, 2))
			e = local_list_fan(&run, de->d_name, cb, arg);
	closedir(d);
	local_run_release(&run);
	return e;
}

/* ---- del ---- */

static const struct cairn_error *local_del_one(void *arg, size_t i, int thread)
{
	struct local_run *run = arg;
	struct remote_item *it = &run->items[i];
	char name[CAIRN_OID_HEXLEN - 1];
	const struct cairn_error *e;
	int fanfd;

	(void)thread;
	if ((e = local_fan(&fanfd, run, &it->id, false)) != NULL) {
		it->state = REMOTE_FAILED;
		return e;
	}
	local_objname(name, &it->id);
	if (fanfd >= 0 && unlinkat(fanfd, name, 0) < 0 && errno != ENOENT) {
		it->state = REMOTE_FAILED;
		return err_sys(errno, "remote '%s': delete object %s", run->lr->base.name,
			       oid_hex(&it->id));
	}
	it->state = REMOTE_DONE;
	local_progress(run, 0, 1);
	return NULL;
}

/* ---- refresh ---- */

static const struct cairn_error *local_refresh_one(void *arg, size_t i, int thread)
{
	struct local_run *run = arg;
	struct remote_item *it = &run->items[i];
	char name[CAIRN_OID_HEXLEN - 1];
	int fanfd;

	(void)thread;
	it->state = REMOTE_DONE;
	if (local_fan(&fanfd, run, &it->id, false) != NULL || fanfd < 0)
		return NULL; /* push found it, so this is rare; leave it to the next push */
	local_objname(name, &it->id);
	(void)utimensat(fanfd, name, NULL, AT_SYMLINK_NOFOLLOW); /* another user's: may fail */
	return NULL;
}

static const struct cairn_error *local_refresh(struct remote *r, struct remote_item *items,
					       size_t n, const struct remote_batch *b)
{
	return local_each(r, items, n, b, REMOTE_DONE, local_refresh_one);
}

static const struct cairn_error *local_del(struct remote *r, struct remote_item *items, size_t n,
					   const struct remote_batch *b)
{
	return local_each(r, items, n, b, REMOTE_DONE, local_del_one);
}

static void local_close(struct remote *r)
{
	struct local_remote *lr = (struct local_remote *)r;

	free(lr->dir);
	free(lr->base.name);
	free(lr->base.url);
	free(lr);
}

static const struct remote_ops local_ops = {
	.kind = "local",
	.read_only = false,
	.close = local_close,
	.exists = local_exists,
	.put = local_put,
	.get = local_get,
	.list = local_list,
	.del = local_del,
	.refresh = local_refresh,
};

const struct cairn_error *local_remote_open(struct remote **out, const char *name,
					    const char *url, struct config *cfg, const char *root)
{
	struct local_remote *lr;
	char *path = local_url_path(url);
	size_t n;

	(void)cfg;
	if (path == NULL || *path == '\0') {
		free(path);
		return err_hint(err_new(CAIRN_ERR_USAGE, "remote '%s': unsupported URL '%s'", name, url),
				"a file:// URL names a folder on this machine: file:///path/to/folder");
	}
	lr = xcalloc(1, sizeof(*lr));
	lr->base.ops = &local_ops;
	lr->base.name = xstrdup(name);
	lr->base.url = xstrdup(url);
	lr->base.jobs = 0;
	lr->dir = path[0] == '/' || root == NULL ? xstrdup(path) : fs_join(root, path);
	free(path);
	n = strlen(lr->dir);
	while (n > 1 && lr->dir[n - 1] == '/')
		lr->dir[--n] = '\0';
	*out = &lr->base;
	return NULL;
}
