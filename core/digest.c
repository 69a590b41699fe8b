/*
 * digest.c: parallel hashing with the state database in front. Only the
 * calling thread touches the state (SQLite handle); workers hash files,
 * insert them into the cache, and fill their tree entries.
 */
#include "buildconf.h"

#include "core/digest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/state.h"
#include "core/xmalloc.h"

#define DIGEST_CHUNK (1u << 20)
#define DIGEST_PRELOAD_MIN 2000 /* files to look up: past this, load all rows at once */

struct digest_job {
	char *path;            /* relative to rootfd */
	struct tree_entry *te; /* filled by the worker */
	bool read;             /* content was read (record in state) */
};

struct digest_run {
	struct digest_ctx *d;
	struct digest_job *jobs;
	size_t n, cap;
	char **bufs;           /* one chunk buffer per thread */
	int nthreads;
	atomic_uint_fast64_t files_done, bytes_done;
	uint64_t bytes_total;
};

static void digest_report(struct digest_run *r)
{
	if (r->d->progress)
		r->d->progress(atomic_load(&r->files_done), r->n, atomic_load(&r->bytes_done),
			       r->bytes_total, r->d->progress_arg);
}

static const struct cairn_error *digest_read(struct digest_run *r, struct digest_job *j,
					     int thread)
{
	struct digest_ctx *d = r->d;
	const struct cairn_error *e = NULL;
	struct cache_writer *w = NULL;
	struct hash_ctx h = { NULL };
	struct tree_entry *te = j->te;
	struct stat st;
	uint64_t total = 0;
	int64_t statted;
	char *chunk;
	int fd;

	if (r->bufs[thread] == NULL)
		r->bufs[thread] = xmalloc(DIGEST_CHUNK);
	chunk = r->bufs[thread];
	fd = openat(d->rootfd, j->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_errno("open '%s'", j->path);
	statted = fs_now_ns();
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_new(CAIRN_ERR_FAILED, "'%s' is no longer a regular file", j->path);
	}
#ifdef POSIX_FADV_SEQUENTIAL
	if (st.st_size > DIGEST_CHUNK)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	if (d->cache) {
		if ((e = cache_writer_new(&w, d->cache)) != NULL) {
			close(fd);
			return e;
		}
	} else {
		hash_init(&h);
	}
	for (;;) {
		ssize_t n = read(fd, chunk, DIGEST_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = err_errno("read '%s'", j->path);
			break;
		}
		if (n == 0)
			break;
		if (w)
			e = cache_writer_write(w, chunk, (size_t)n);
		else
			hash_update(&h, chunk, (size_t)n);
		if (e)
			break;
		total += (uint64_t)n;
		atomic_fetch_add(&r->bytes_done, (uint64_t)n);
		if (thread == 0 && n == DIGEST_CHUNK) {
			if (d->cancel && (e = d->cancel(d->cancel_arg)) != NULL)
				break;
			digest_report(r);
		}
	}
	close(fd);
	if (w) {
		if (e)
			cache_writer_abort(w);
		else
			e = cache_writer_finish(&te->id, w, NULL);
		if (e)
			return err_wrap(e, "'%s'", j->path);
	} else {
		if (e == NULL)
			hash_final(&h, &te->id);
		hash_release(&h);
		if (e)
			return e;
	}
	te->known = true;
	te->size = total;
	te->st = st;
	te->statted_ns = statted;
	te->exec = (st.st_mode & S_IXUSR) != 0;
	j->read = true;
	return NULL;
}

static const struct cairn_error *digest_item(void *arg, size_t i, int thread)
{
	struct digest_run *r = arg;
	const struct cairn_error *e = digest_read(r, &r->jobs[i], thread);

	atomic_fetch_add(&r->files_done, 1);
	if (thread == 0)
		digest_report(r);
	return e;
}

/* State lookups happen here, on the calling thread, before any worker runs. */
static const struct cairn_error *digest_collect(const char *path, struct tree_entry *te,
						void *arg)
{
	struct digest_run *r = arg;
	struct digest_ctx *d = r->d;
	char *full;

	if (te->cache_link || te->known)
		return NULL; /* its id is its cache name, or was found already */
	full = (char *)path;
	if (state_lookup(d->state, full, &te->st, &te->id)) {
		te->known = true;
		te->size = (uint64_t)te->st.st_size;
		te->exec = (te->st.st_mode & S_IXUSR) != 0;
		if (d->cache == NULL || cache_has_fresh(d->cache, &te->id))
			return NULL;
		te->known = false;
	}
	XGROW(r->jobs, r->n + 1, r->cap);
	r->jobs[r->n].path = xstrdup(path);
	r->jobs[r->n].te = te;
	r->jobs[r->n].read = false;
	r->n++;
	r->bytes_total += (uint64_t)te->st.st_size;
	return NULL;
}

struct digest_prefix {
	struct digest_run *r;
	const char *rel;
};

static const struct cairn_error *digest_collect_prefixed(const char *path, struct tree_entry *te,
							 void *arg)
{
	struct digest_prefix *p = arg;
	const struct cairn_error *e;
	char *full = fs_join(p->rel, path);

	e = digest_collect(full, te, p->r);
	free(full);
	return e;
}

static const struct cairn_error *digest_run_jobs(struct digest_run *r)
{
	struct digest_ctx *d = r->d;
	const struct cairn_error *e;
	size_t i;
	int t;

	r->nthreads = d->jobs > 0 ? d->jobs : par_ncpu();
	r->bufs = xcalloc((size_t)r->nthreads, sizeof(*r->bufs));
	e = par_run(r->n, r->nthreads, digest_item, r, d->cancel, d->cancel_arg);
	if (e == NULL && d->cache)
		e = cache_flush(d->cache);
	for (i = 0; i < r->n; i++) {
		if (e == NULL && r->jobs[i].read)
			state_record(d->state, r->jobs[i].path, &r->jobs[i].te->st,
				     &r->jobs[i].te->id, r->jobs[i].te->statted_ns);
		free(r->jobs[i].path);
	}
	for (t = 0; t < r->nthreads; t++)
		free(r->bufs[t]);
	free(r->bufs);
	free(r->jobs);
	return e;
}

const struct cairn_error *digest_tree(struct digest_ctx *d, struct tree *t, const char *rel)
{
	struct digest_run r;
	struct digest_prefix p;
	const struct cairn_error *e;
	char *prefix = xasprintf("%s/", rel);

	memset(&r, 0, sizeof(r));
	r.d = d;
	state_preload(d->state, prefix);
	free(prefix);
	p.r = &r;
	p.rel = rel;
	if ((e = tree_walk_files(t, digest_collect_prefixed, &p)) != NULL) {
		free(r.jobs);
		return e;
	}
	return digest_run_jobs(&r);
}

const struct cairn_error *digest_file(struct digest_ctx *d, const char *rel,
				      struct tree_entry *te)
{
	struct digest_run r;
	const struct cairn_error *e;

	memset(&r, 0, sizeof(r));
	r.d = d;
	if ((e = digest_collect(rel, te, &r)) != NULL)
		return e;
	return digest_run_jobs(&r);
}

/*
 * Folder fingerprints. A folder's fingerprint hashes, per entry in name
 * order, its name and type and: for a file its (device, inode, size,
 * mtime_ns, ctime_ns, exec), for a symlink its target, for a file standing
 * as a link into the cache its id, for a folder its manifest id, size and
 * count. Equal fingerprints mean equal manifests as long as no file was
 * racy when the row was recorded.
 */
static void digest_fp_u64(struct hash_ctx *h, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	hash_update(h, b, sizeof(b));
}

/* false when t holds something that cannot be fingerprinted (yet) */
static bool digest_fingerprint(struct oid *fp, bool *racy, const struct tree *t)
{
	struct hash_ctx h;
	size_t i;

	*racy = false;
	for (i = 0; i < t->n; i++)
		if (t->e[i].type == TREE_OTHER || (t->e[i].type == TREE_DIR && !t->e[i].known))
			return false;
	hash_init(&h);
	for (i = 0; i < t->n; i++) {
		const struct tree_entry *te = &t->e[i];
		unsigned char type = (unsigned char)te->type;

		hash_update(&h, te->name, strlen(te->name) + 1);
		if (te->type == TREE_FILE && te->cache_link)
			type = 'L';
		hash_update(&h, &type, 1);
		if (te->type == TREE_SYMLINK) {
			hash_update(&h, te->target, strlen(te->target) + 1);
		} else if (te->type == TREE_DIR || te->cache_link) {
			hash_update(&h, te->id.b, CAIRN_OID_RAWLEN);
			digest_fp_u64(&h, te->size);
			digest_fp_u64(&h, te->nfiles);
		} else {
			digest_fp_u64(&h, (uint64_t)te->st.st_dev);
			digest_fp_u64(&h, (uint64_t)te->st.st_ino);
			digest_fp_u64(&h, (uint64_t)te->st.st_size);
			digest_fp_u64(&h, (uint64_t)te->st.st_mtim.tv_sec * 1000000000u +
						  (uint64_t)te->st.st_mtim.tv_nsec);
			digest_fp_u64(&h, (uint64_t)te->st.st_ctim.tv_sec * 1000000000u +
						  (uint64_t)te->st.st_ctim.tv_nsec);
			digest_fp_u64(&h, te->exec);
			if (state_racy(&te->st, te->statted_ns))
				*racy = true;
		}
	}
	hash_final(&h, fp);
	hash_release(&h);
	return true;
}

/* Bottom-up: give each unchanged folder its id from the state (dir_cached). */
static void digest_resolve_dirs(struct digest_ctx *d, struct tree *t, struct buf *path)
{
	size_t i, base = path->len;

	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];
		struct state_dir row;
		struct oid fp;
		bool racy;

		if (te->type != TREE_DIR)
			continue;
		path->len = base;
		path->s[base] = '\0';
		buf_addch(path, '/');
		buf_adds(path, te->name);
		digest_resolve_dirs(d, te->sub, path);
		if (digest_fingerprint(&fp, &racy, te->sub) &&
		    state_dir_lookup(d->state, path->s, &fp, &row)) {
			te->id = row.id;
			te->size = row.size;
			te->nfiles = row.nfiles;
			te->known = te->dir_cached = true;
		}
	}
	path->len = base;
	path->s[base] = '\0';
}

/* Bottom-up again after sealing: record the folders that were computed. */
static void digest_record_dirs(struct digest_ctx *d, struct tree *t, struct buf *path,
			       const struct oid *id, uint64_t size, uint64_t nfiles)
{
	size_t i, base = path->len;
	struct state_dir row;
	bool racy;

	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];

		if (te->type != TREE_DIR || te->dir_cached)
			continue;
		path->len = base;
		path->s[base] = '\0';
		buf_addch(path, '/');
		buf_adds(path, te->name);
		digest_record_dirs(d, te->sub, path, &te->id, te->size, te->nfiles);
	}
	path->len = base;
	path->s[base] = '\0';
	if (digest_fingerprint(&row.fp, &racy, t) && !racy) {
		row.id = *id;
		row.size = size;
		row.nfiles = nfiles;
		state_dir_record(d->state, path->s, &row);
	}
}

/* Like tree_walk_files, without entering folders whose id came from the state. */
static const struct cairn_error *digest_walk(struct tree *t, struct buf *path, tree_file_cb cb,
					     void *arg)
{
	const struct cairn_error *e;
	size_t i, base = path->len;

	for (i = 0; i < t->n; i++) {
		struct tree_entry *te = &t->e[i];

		path->len = base;
		path->s[base] = '\0';
		buf_addch(path, '/');
		buf_adds(path, te->name);
		if (te->type == TREE_FILE)
			e = cb(path->s, te, arg);
		else if (te->type == TREE_DIR && !te->dir_cached && te->sub)
			e = digest_walk(te->sub, path, cb, arg);
		else
			e = NULL;
		if (e)
			return e;
	}
	path->len = base;
	path->s[base] = '\0';
	return NULL;
}

static const struct cairn_error *digest_count(const char *path, struct tree_entry *te, void *arg)
{
	(void)path;
	(void)te;
	(*(size_t *)arg)++;
	return NULL;
}

const struct cairn_error *digest_tree_id(struct digest_ctx *d, struct tree *t, const char *rel,
					 struct oid *root, uint64_t *size, uint64_t *nfiles)
{
	const struct cairn_error *e = NULL;
	struct digest_run r;
	struct buf path = BUF_INIT;
	char *prefix = xasprintf("%s/", rel);
	size_t nlook = 0;

	memset(&r, 0, sizeof(r));
	r.d = d;
	buf_init(&path);
	buf_adds(&path, rel);
	if (d->cache == NULL) {
		/* only reading: unchanged folders need not be looked at file by file */
		struct state_dir row;
		struct oid fp;
		bool racy;

		state_preload_dirs(d->state, rel);
		digest_resolve_dirs(d, t, &path);
		if (digest_fingerprint(&fp, &racy, t) && state_dir_lookup(d->state, rel, &fp, &row)) {
			*root = row.id;
			*size = row.size;
			*nfiles = row.nfiles;
			goto done;
		}
	}
	if ((e = digest_walk(t, &path, digest_count, &nlook)) != NULL)
		goto done;
	if (nlook >= DIGEST_PRELOAD_MIN)
		state_preload(d->state, prefix);
	if ((e = digest_walk(t, &path, digest_collect, &r)) != NULL) {
		free(r.jobs);
		goto done;
	}
	if ((e = digest_run_jobs(&r)) != NULL)
		goto done;
	if ((e = tree_seal(root, size, nfiles, t, d->cache)) != NULL)
		goto done;
	path.len = strlen(rel);
	path.s[path.len] = '\0';
	digest_record_dirs(d, t, &path, root, *size, *nfiles);
done:
	buf_release(&path);
	free(prefix);
	return e;
}
