/*
 * place.c: the queue is cut into chunks of files of one folder, at most
 * PLACE_CHUNK files or PLACE_CHUNK_BYTES; each chunk opens its folder once
 * (beneath the root, refusing symlinks) and places its files. Threads
 * write to different folders most of the time, so they rarely contend for
 * a folder's lock.
 */
#include "buildconf.h"

#include "core/place.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fault.h"
#include "core/fsutil.h"
#include "core/link.h"
#include "core/par.h"
#include "core/repo.h"
#include "core/work.h"
#include "core/xmalloc.h"

#define PLACE_CHUNK 256                 /* files: a folder of small files is one chunk */
#define PLACE_CHUNK_BYTES (32ull << 20) /* bytes: big files still spread over the threads */

struct place_job {
	const char *dir;  /* shared by the jobs of one folder (owned by the queue) */
	char *name;
	struct oid id;
	uint64_t size;
	bool exec;
	bool placed;      /* set by the worker */
};

struct place_chunk {
	size_t first, n;
	uint64_t bytes;
};

struct place_queue {
	struct place_job *v;
	size_t n, cap;
	char **dirs;      /* distinct folder strings, freed with the queue */
	size_t ndirs, capdirs;
};

struct place_run {
	struct place_queue *q;
	struct work *w;
	struct place_chunk *chunks;
	size_t nchunks;
	atomic_uint_fast64_t done;
	place_progress_cb progress;
	void *arg;
};

struct place_queue *place_new(void)
{
	return xcalloc(1, sizeof(struct place_queue));
}

void place_free(struct place_queue *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		free(q->v[i].name);
	for (i = 0; i < q->ndirs; i++)
		free(q->dirs[i]);
	free(q->v);
	free(q->dirs);
	free(q);
}

void place_add(struct place_queue *q, const char *dir, const char *name, const struct oid *id,
	       uint64_t size, bool exec)
{
	struct place_job *j;

	if (q->ndirs == 0 || strcmp(q->dirs[q->ndirs - 1], dir) != 0) {
		XGROW(q->dirs, q->ndirs + 1, q->capdirs);
		q->dirs[q->ndirs++] = xstrdup(dir);
	}
	XGROW(q->v, q->n + 1, q->cap);
	j = &q->v[q->n++];
	memset(j, 0, sizeof(*j));
	j->dir = q->dirs[q->ndirs - 1];
	j->name = xstrdup(name);
	j->id = *id;
	j->size = size;
	j->exec = exec;
}

size_t place_count(const struct place_queue *q)
{
	return q->n;
}

static const struct cairn_error *place_one(struct place_run *r, struct place_job *j, int dirfd)
{
	const struct cairn_error *e;
	enum link_type used;
	char *path;

	fault_point("checkout-file");
	e = link_put(&used, &r->w->link, dirfd, j->name, &j->id, j->size, j->exec);
	if (e) {
		path = fs_join(j->dir, j->name);
		e = err_wrap(e, "'%s'", path);
		free(path);
		return e;
	}
	j->placed = true;
	return NULL;
}

static const struct cairn_error *place_item(void *arg, size_t i, int thread)
{
	struct place_run *r = arg;
	const struct place_chunk *c = &r->chunks[i];
	struct place_job *first = &r->q->v[c->first];
	struct digest_ctx *d = &r->w->digest;
	const struct cairn_error *e = NULL;
	size_t k;
	int dirfd;

	if ((e = fs_open_dir_beneath(&dirfd, r->w->repo->rootfd, first->dir, false)) != NULL)
		return e;
	for (k = 0; k < c->n && e == NULL; k++) {
		/* Ctrl-C stops between files: every file placed so far is whole */
		if (d->cancel && (e = d->cancel(d->cancel_arg)) != NULL)
			break;
		e = place_one(r, &first[k], dirfd);
		atomic_fetch_add(&r->done, 1);
		if (thread == 0 && r->progress)
			r->progress(atomic_load(&r->done), r->q->n, r->arg);
	}
	close(dirfd);
	return e;
}

const struct cairn_error *place_run(uint64_t *placed, struct place_queue *q, struct work *w,
				    place_progress_cb progress, void *arg)
{
	const struct cairn_error *e;
	struct place_run r;
	size_t i;

	*placed = 0;
	memset(&r, 0, sizeof(r));
	r.q = q;
	r.w = w;
	r.progress = progress;
	r.arg = arg;
	r.chunks = xcalloc(q->n ? q->n : 1, sizeof(*r.chunks));
	for (i = 0; i < q->n; i++) {
		struct place_chunk *c = r.nchunks ? &r.chunks[r.nchunks - 1] : NULL;

		if (c && c->n < PLACE_CHUNK && c->bytes < PLACE_CHUNK_BYTES &&
		    q->v[c->first].dir == q->v[i].dir) {
			c->n++;
			c->bytes += q->v[i].size;
			continue;
		}
		r.chunks[r.nchunks].first = i;
		r.chunks[r.nchunks].n = 1;
		r.chunks[r.nchunks].bytes = q->v[i].size;
		r.nchunks++;
	}
	e = par_run(r.nchunks, w->digest.jobs, place_item, &r, w->digest.cancel,
		    w->digest.cancel_arg);
	for (i = 0; i < q->n; i++)
		*placed += q->v[i].placed;
	if (progress)
		progress(*placed, q->n, arg);
	free(r.chunks);
	return e;
}
