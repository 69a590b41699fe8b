/*
 * fsck.c: a parallel rehash of the whole cache (one read per byte, a
 * buffer per thread), then the manifest walk of core/gcroots.c over the
 * roots. Objects found corrupt by the rehash are not reported again by
 * the walk.
 */
#include "buildconf.h"

#include "core/fsck.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/cachewalk.h"
#include "core/fault.h"
#include "core/gcroots.h"
#include "core/hash.h"
#include "core/oidset.h"
#include "core/xmalloc.h"

#define FSCK_CHUNK (1u << 20)

struct fsck_obj {
	struct oid id;
	uint64_t size;
	bool corrupt;
	char *why; /* set by the worker when corrupt */
};

struct fsck_run {
	struct cache *cache;
	const struct fsck_opts *o;
	struct fsck_obj *v;
	size_t n, cap;
	uint64_t bytes_total;
	char **bufs; /* one per thread */
	atomic_uint_fast64_t done, bytes_done;
	struct oidset corrupt;
	struct fsck_result *res;
};

static const struct cairn_error *fsck_on_object(const struct oid *id, const struct stat *st,
						void *arg)
{
	struct fsck_run *r = arg;

	XGROW(r->v, r->n + 1, r->cap);
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	r->v[r->n].id = *id;
	r->v[r->n].size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
	r->v[r->n].corrupt = !S_ISREG(st->st_mode);
	if (r->v[r->n].corrupt)
		r->v[r->n].why = xstrdup("not a regular file");
	r->bytes_total += r->v[r->n].size;
	r->n++;
	return NULL;
}

static void fsck_report(struct fsck_run *r)
{
	if (r->o->progress)
		r->o->progress(atomic_load(&r->done), r->n, atomic_load(&r->bytes_done),
			       r->bytes_total, r->o->arg);
}

static const struct cairn_error *fsck_item(void *arg, size_t i, int thread)
{
	struct fsck_run *r = arg;
	struct fsck_obj *ob = &r->v[i];
	const struct cairn_error *e = NULL;
	struct hash_ctx h;
	struct oid got;
	char *path, *chunk;
	int fd;

	if (ob->corrupt)
		goto out;
	fault_point("fsck-object");
	if (r->bufs[thread] == NULL)
		r->bufs[thread] = xmalloc(FSCK_CHUNK);
	chunk = r->bufs[thread];
	path = cache_path(r->cache, &ob->id);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd < 0) {
		if (errno == ENOENT)
			goto out; /* removed meanwhile */
		return err_errno("open object %s", oid_hex(&ob->id));
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	hash_init(&h);
	for (;;) {
		ssize_t n = read(fd, chunk, FSCK_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = err_errno("read object %s", oid_hex(&ob->id));
			break;
		}
		if (n == 0)
			break;
		hash_update(&h, chunk, (size_t)n);
		atomic_fetch_add(&r->bytes_done, (uint64_t)n);
		if (thread == 0 && n == FSCK_CHUNK) {
			if (r->o->cancel && (e = r->o->cancel(r->o->cancel_arg)) != NULL)
				break;
			fsck_report(r);
		}
	}
	close(fd);
	if (e == NULL) {
		hash_final(&h, &got);
		if (!oid_equal(&got, &ob->id)) {
			ob->corrupt = true;
			ob->why = xasprintf("content hashes to %s", oid_hex(&got));
		}
	}
	hash_release(&h);
	if (e)
		return e;
out:
	atomic_fetch_add(&r->done, 1);
	if (thread == 0)
		fsck_report(r);
	return NULL;
}

static void fsck_on_root_problem(enum gcroots_problem kind, const struct oid *id,
				 const char *path, const char *msg, void *arg)
{
	struct fsck_run *r = arg;

	if (kind == GCROOTS_ABSENT) {
		r->res->absent_roots++;
		return;
	}
	if (oidset_has(&r->corrupt, id))
		return; /* reported by the rehash */
	if (kind == GCROOTS_MISSING)
		r->res->missing++;
	else
		r->res->bad_manifests++;
	if (r->o->on_problem)
		r->o->on_problem(kind == GCROOTS_MISSING ? FSCK_MISSING : FSCK_BAD_MANIFEST, id, path,
				 msg, NULL, r->o->arg);
}

const struct cairn_error *fsck_run(struct fsck_result *res, struct cache *c,
				   const struct out_list *outs, const struct fsck_opts *o)
{
	const struct cairn_error *e;
	struct gcroots *g = NULL;
	struct fsck_run r;
	int jobs = o->jobs > 0 ? o->jobs : par_ncpu(), t;
	size_t i;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.cache = c;
	r.o = o;
	r.res = res;
	oidset_init(&r.corrupt);
	r.bufs = xcalloc((size_t)jobs, sizeof(*r.bufs));
	if ((e = cachewalk_objects(c, fsck_on_object, &r)) != NULL)
		goto done;
	e = par_run(r.n, jobs, fsck_item, &r, o->cancel, o->cancel_arg);
	fsck_report(&r);
	if (e)
		goto done;
	res->objects = r.n;
	res->bytes = r.bytes_total;
	for (i = 0; i < r.n; i++) {
		const struct cairn_error *q;
		char *moved = NULL;

		if (!r.v[i].corrupt)
			continue;
		res->corrupt++;
		oidset_add(&r.corrupt, &r.v[i].id);
		if (o->repair) {
			if ((q = cache_quarantine_object(&moved, c, &r.v[i].id)) != NULL) {
				e = q;
				goto done;
			}
			res->quarantined++;
		}
		if (o->on_problem)
			o->on_problem(FSCK_CORRUPT, &r.v[i].id, "", r.v[i].why, moved, o->arg);
		free(moved);
	}
	if (outs) {
		g = gcroots_new(c);
		gcroots_on_problem(g, fsck_on_root_problem, &r);
		gcroots_scope(g, "workspace");
		gcroots_add_outs(g, outs);
	}
done:
	gcroots_free(g);
	for (t = 0; t < jobs; t++)
		free(r.bufs[t]);
	free(r.bufs);
	for (i = 0; i < r.n; i++)
		free(r.v[i].why);
	free(r.v);
	oidset_release(&r.corrupt);
	return e;
}
