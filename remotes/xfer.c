/*
 * xfer.c: the plan of objects behind a set of outputs, and the batches
 * that move them. The plan is a set of objects in discovery order, each
 * with the first path needing it, where it is (cache, remote) and, for a
 * manifest, the plan indexes of its entries. Manifests are read from the
 * cache one folder level at a time (a fetch brings each level first).
 * A manifest's height (0: no subfolders) orders the push: a manifest is
 * sent only after everything beneath it is on the remote.
 */
#include "buildconf.h"

#include "remotes/xfer.h"

#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "core/manifest.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/tree.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"

#define XFER_LOCAL 1
#define XFER_REMOTE 2

/* what a batch does; DEL and REFRESH change no plan state and count nothing */
enum xfer_op { XFER_EXISTS, XFER_PUT, XFER_GET, XFER_DEL, XFER_REFRESH };

struct xobj {
	uint64_t size;      /* bytes, or REMOTE_SIZE_UNKNOWN (a manifest not read yet) */
	char *path;         /* first path needing it */
	bool manifest;      /* a folder's manifest, else file content */
	bool parsed;        /* manifest read: kids are known */
	unsigned char where; /* XFER_LOCAL | XFER_REMOTE */
	int64_t rmtime;     /* when the remote copy was written, if its presence check told; else 0 */
	int height;         /* manifests: 0 without subfolders; -1 not computed */
	size_t *kids, nkids, capkids; /* manifests: plan indexes of the entries */
	size_t mark;        /* last output walk that visited it, + 1 */
};

struct xplan {
	struct oidset ids; /* ids.v[i] is the id of o[i] */
	struct xobj *o;
	size_t cap;
	size_t *roots;     /* per output: its file object or root manifest */
	struct remote *r;
	struct cache *c;
	const struct xfer_opts *opts;
	struct xfer_result *res;
	size_t failed;     /* plan index of the item that failed the last batch, or SIZE_MAX */
	/* progress of the running batch */
	const char *phase;
	uint64_t done_objects, total_objects, done_bytes, total_bytes;
};

void xfer_result_release(struct xfer_result *res)
{
	size_t i;

	for (i = 0; i < res->nmissing; i++)
		free(res->missing[i].path);
	free(res->missing);
	free(res->outs);
	memset(res, 0, sizeof(*res));
}

static void xplan_release(struct xplan *p)
{
	size_t i;

	for (i = 0; i < p->ids.n; i++) {
		free(p->o[i].path);
		free(p->o[i].kids);
	}
	free(p->o);
	free(p->roots);
	oidset_release(&p->ids);
}

/*
 * The plan index of id, added with path when new. *expand says that id is a
 * manifest whose entries are not planned yet: a new one, or one the plan
 * knew only as a file's content (the same bytes can be both), which would
 * otherwise leave its folder's objects out.
 */
static size_t xplan_add(struct xplan *p, const struct oid *id, bool manifest, uint64_t size,
			const char *path, bool *expand)
{
	size_t i;

	if (!oidset_add(&p->ids, id)) {
		oidset_index(&p->ids, id, &i);
		*expand = manifest && !p->o[i].manifest;
		if (*expand)
			p->o[i].manifest = true;
		return i;
	}
	*expand = manifest;
	i = p->ids.n - 1;
	XGROW(p->o, i + 1, p->cap);
	memset(&p->o[i], 0, sizeof(p->o[i]));
	p->o[i].size = size;
	p->o[i].path = xstrdup(path);
	p->o[i].manifest = manifest;
	p->o[i].height = -1;
	return i;
}

/* ---- batches ---- */

static void xplan_on_progress(uint64_t bytes, uint64_t objects, void *arg)
{
	struct xplan *p = arg;

	p->done_bytes += bytes;
	p->done_objects += objects;
	if (p->phase && p->opts->progress)
		p->opts->progress(p->phase, p->done_objects, p->total_objects, p->done_bytes,
				  p->total_bytes, p->opts->progress_arg);
}

/* Run one batch over the plan objects idx[0..n-1] and record where they are. */
static const struct cairn_error *xplan_batch(struct xplan *p, enum xfer_op op, const size_t *idx,
					     size_t n, const char *phase)
{
	const struct cairn_error *e = NULL;
	struct remote_item *items;
	struct remote_batch b;
	bool failed = false;
	size_t i;

	p->failed = SIZE_MAX;
	if (n == 0)
		return NULL;
	items = xcalloc(n, sizeof(*items));
	p->phase = phase;
	p->done_objects = p->done_bytes = 0;
	p->total_objects = n;
	p->total_bytes = 0;
	for (i = 0; i < n; i++) {
		items[i].id = p->ids.v[idx[i]];
		items[i].size = p->o[idx[i]].size;
		items[i].state = REMOTE_PENDING;
		if (items[i].size != REMOTE_SIZE_UNKNOWN && (op == XFER_PUT || op == XFER_GET))
			p->total_bytes += items[i].size;
	}
	memset(&b, 0, sizeof(b));
	b.jobs = p->opts->jobs;
	b.progress = xplan_on_progress;
	b.progress_arg = p;
	b.cancel = p->opts->cancel;
	b.cancel_arg = p->opts->cancel_arg;
	if (op == XFER_EXISTS)
		e = p->r->ops->exists(p->r, items, n, &b);
	else if (op == XFER_PUT)
		e = p->r->ops->put(p->r, p->c, items, n, &b);
	else if (op == XFER_GET)
		e = p->r->ops->get(p->r, p->c, items, n, &b);
	else if (op == XFER_DEL)
		e = p->r->ops->del(p->r, items, n, &b);
	else
		e = p->r->ops->refresh(p->r, items, n, &b);
	for (i = 0; i < n; i++) {
		struct xobj *o = &p->o[idx[i]];

		if (op == XFER_DEL || op == XFER_REFRESH) {
			if (items[i].state == REMOTE_FAILED && e && !failed) {
				failed = true;
				p->failed = idx[i];
			}
		} else if (items[i].state == REMOTE_DONE) {
			o->where |= op == XFER_GET ? XFER_LOCAL : XFER_REMOTE;
			if (op == XFER_EXISTS)
				o->rmtime = items[i].mtime_ns;
			if (op != XFER_EXISTS)
				p->res->transferred++;
		} else if (items[i].state == REMOTE_FAILED && e && !failed) {
			/* name the path that needs the object, unless the remote refused us as a whole */
			failed = true;
			p->failed = idx[i];
			if (op == XFER_PUT && err_is(e, CAIRN_ERR_CORRUPT))
				e = cache_quarantine(p->c, &items[i].id, e); /* the cache copy is bad */
			if (op != XFER_EXISTS && !err_is(e, CAIRN_ERR_AUTH) &&
			    !err_is(e, CAIRN_ERR_CANCELLED))
				e = err_wrap(e, "'%s'", o->path);
		}
	}
	if (op == XFER_PUT || op == XFER_GET)
		p->res->bytes += p->done_bytes;
	p->phase = NULL;
	free(items);
	return e;
}

/* ---- the plan ---- */

/* Read a cached manifest and add its entries to the plan; new folders go to next. */
static const struct cairn_error *xplan_expand(struct xplan *p, size_t mi, size_t **next,
					      size_t *nnext, size_t *capnext)
{
	const struct cairn_error *e;
	struct manifest m = MANIFEST_INIT;
	struct oid id = p->ids.v[mi];
	char *data = NULL;
	size_t len, j;

	e = cache_read_small(&data, &len, p->c, &id, MANIFEST_MAX_BYTES);
	if (e == NULL)
		e = manifest_parse(&m, data, len, oid_hex(&id));
	free(data);
	if (e)
		return err_wrap(e, "'%s'", p->o[mi].path);
	p->o[mi].size = len;
	p->o[mi].parsed = true;
	for (j = 0; j < m.n; j++) {
		const struct manifest_entry *me = &m.entries[j];
		char *path;
		size_t k;
		bool expand;

		if (me->type == MANIFEST_SYMLINK)
			continue;
		path = fs_join(p->o[mi].path, me->name);
		k = xplan_add(p, &me->id, me->type == MANIFEST_DIR,
			      me->type == MANIFEST_DIR ? REMOTE_SIZE_UNKNOWN : me->size, path, &expand);
		free(path);
		if (expand) {
			XGROW(*next, *nnext + 1, *capnext);
			(*next)[(*nnext)++] = k;
		}
		XGROW(p->o[mi].kids, p->o[mi].nkids + 1, p->o[mi].capkids);
		p->o[mi].kids[p->o[mi].nkids++] = k;
	}
	manifest_release(&m);
	return NULL;
}

/*
 * Every object of every output, as far as the cache knows its manifests;
 * with fetch, the manifests the cache lacks are fetched level by level.
 */
static const struct cairn_error *xplan_build(struct xplan *p, const struct out_list *outs,
					     bool fetch)
{
	const struct cairn_error *e = NULL;
	size_t *level = NULL, nlevel = 0, caplevel = 0, *next = NULL, nnext = 0, capnext = 0;
	size_t *want = NULL, nwant, i, k, depth = 0;
	bool expand;

	p->roots = xcalloc(outs->n ? outs->n : 1, sizeof(*p->roots));
	for (k = 0; k < outs->n; k++) {
		const struct ptr *ptr = outs->v[k].ptr;
		bool dir = ptr->type == PTR_DIR;

		p->roots[k] = xplan_add(p, &ptr->id, dir, dir ? REMOTE_SIZE_UNKNOWN : ptr->size,
					outs->v[k].rel, &expand);
		if (expand) {
			XGROW(level, nlevel + 1, caplevel);
			level[nlevel++] = p->roots[k];
		}
	}
	while (e == NULL && nlevel > 0) {
		if (++depth > TREE_MAX_DEPTH) {
			e = err_new(CAIRN_ERR_FORMAT, "'%s': folders nested too deeply",
				    p->o[level[0]].path);
			break;
		}
		if (fetch) {
			want = xreallocarray(want, nlevel, sizeof(*want));
			for (i = nwant = 0; i < nlevel; i++)
				if (!cache_has(p->c, &p->ids.v[level[i]]))
					want[nwant++] = level[i];
			e = xplan_batch(p, XFER_GET, want, nwant, "fetching manifests");
			if (e == NULL && nwant)
				e = cache_flush(p->c);
		}
		nnext = 0;
		for (i = 0; e == NULL && i < nlevel; i++)
			if (cache_has(p->c, &p->ids.v[level[i]]))
				e = xplan_expand(p, level[i], &next, &nnext, &capnext);
		/* swap */
		{
			size_t *t = level, tc = caplevel;

			level = next;
			caplevel = capnext;
			nlevel = nnext;
			next = t;
			capnext = tc;
		}
	}
	free(level);
	free(next);
	free(want);
	if (e)
		return e;
	for (i = 0; i < p->ids.n; i++) {
		uint64_t size;

		if (p->o[i].parsed) {
			p->o[i].where |= XFER_LOCAL;
		} else if (cache_has_size(p->c, &p->ids.v[i], &size)) {
			/*
			 * The cached object's size is the truth (its bytes hash to its
			 * name); a pointer or manifest that records another would make
			 * every push find the remote copy "damaged" and send it again.
			 */
			p->o[i].where |= XFER_LOCAL;
			p->o[i].size = size;
		}
	}
	p->res->needed = p->ids.n;
	return NULL;
}

/* Height of a manifest: 0 without subfolders (depth is bounded by the build). */
static int xplan_height(struct xplan *p, size_t i)
{
	struct xobj *o = &p->o[i];
	size_t j;
	int h = 0;

	if (o->height >= 0)
		return o->height;
	for (j = 0; j < o->nkids; j++) {
		size_t k = o->kids[j];

		if (p->o[k].manifest) {
			int kh = xplan_height(p, k) + 1;

			if (kh > h)
				h = kh;
		}
	}
	p->o[i].height = h;
	return h;
}

/* Count where one output's objects are; walks each object once. */
static void xplan_walk(struct xplan *p, size_t i, size_t mark, struct xfer_out_state *st)
{
	struct xobj *o = &p->o[i];
	size_t j;

	if (o->mark == mark)
		return;
	o->mark = mark;
	st->objects++;
	switch (o->where) {
	case XFER_LOCAL | XFER_REMOTE:
		st->both++;
		break;
	case XFER_LOCAL:
		st->local_only++;
		if (o->size != REMOTE_SIZE_UNKNOWN)
			st->local_bytes += o->size;
		break;
	case XFER_REMOTE:
		st->remote_only++;
		break;
	default:
		st->nowhere++;
	}
	if (o->manifest && !o->parsed)
		st->complete = false;
	for (j = 0; j < o->nkids; j++)
		xplan_walk(p, o->kids[j], mark, st);
}

static int xfer_missing_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xfer_missing *)a)->path, ((const struct xfer_missing *)b)->path);
}

/* Fill the per-output states and the list of objects in neither place. */
static void xplan_finish(struct xplan *p, size_t nouts, unsigned char present)
{
	struct xfer_result *res = p->res;
	size_t i, k;

	res->outs = xcalloc(nouts ? nouts : 1, sizeof(*res->outs));
	res->nouts = nouts;
	for (i = 0; i < p->ids.n; i++)
		p->o[i].mark = 0;
	for (k = 0; k < nouts; k++) {
		struct xfer_out_state *st = &res->outs[k];

		st->complete = true;
		xplan_walk(p, p->roots[k], k + 1, st);
		st->complete = st->complete && st->local_only + st->both == st->objects;
	}
	for (i = 0; i < p->ids.n; i++) {
		if ((p->o[i].where & present) != 0)
			continue;
		XGROW(res->missing, res->nmissing + 1, res->capmissing);
		res->missing[res->nmissing].path = xstrdup(p->o[i].path);
		res->missing[res->nmissing].id = p->ids.v[i];
		res->nmissing++;
	}
	if (res->nmissing > 1)
		qsort(res->missing, res->nmissing, sizeof(*res->missing), xfer_missing_cmp);
}

/* Every plan index, in order (caller frees): a batch over the whole plan. */
static size_t *xplan_all(const struct xplan *p)
{
	size_t i, *idx = xcalloc(p->ids.n ? p->ids.n : 1, sizeof(*idx));

	for (i = 0; i < p->ids.n; i++)
		idx[i] = i;
	return idx;
}

static void xplan_init(struct xplan *p, struct xfer_result *res, struct remote *r,
		       struct cache *c, const struct xfer_opts *opts)
{
	memset(res, 0, sizeof(*res));
	memset(p, 0, sizeof(*p));
	oidset_init(&p->ids);
	p->r = r;
	p->c = c;
	p->opts = opts;
	p->res = res;
}

/* ---- push ---- */

static const struct cairn_error *xfer_push_manifests(struct xplan *p)
{
	const struct cairn_error *e = NULL;
	size_t i, j, n, *idx = xcalloc(p->ids.n ? p->ids.n : 1, sizeof(*idx));
	int h, maxh = -1;

	for (i = 0; i < p->ids.n; i++)
		if (p->o[i].manifest && p->o[i].parsed && xplan_height(p, i) > maxh)
			maxh = p->o[i].height;
	for (h = 0; e == NULL && h <= maxh; h++) {
		for (i = n = 0; i < p->ids.n; i++) {
			struct xobj *o = &p->o[i];
			bool below = true;

			if (!o->manifest || !o->parsed || o->height != h || (o->where & XFER_REMOTE))
				continue;
			for (j = 0; j < o->nkids && below; j++)
				below = (p->o[o->kids[j]].where & XFER_REMOTE) != 0;
			if (below)
				idx[n++] = i;
		}
		e = xplan_batch(p, XFER_PUT, idx, n, "pushing manifests");
	}
	free(idx);
	return e;
}

/* objects a push relies on and finds older than this are renewed on the remote */
#define XFER_FRESH_NS (600LL * 1000000000LL)

/*
 * Renew the age of the planned objects the remote holds that are older than
 * XFER_FRESH_NS, or of unknown age (idx: room for the whole plan).
 */
static const struct cairn_error *xfer_refresh(struct xplan *p, size_t *idx)
{
	int64_t old = fs_now_ns() - XFER_FRESH_NS;
	size_t i, n;

	for (i = n = 0; i < p->ids.n; i++)
		if ((p->o[i].where & XFER_REMOTE) && (p->o[i].rmtime == 0 || p->o[i].rmtime < old))
			idx[n++] = i;
	return xplan_batch(p, XFER_REFRESH, idx, n, "checking");
}

const struct cairn_error *xfer_push(struct xfer_result *res, struct remote *r, struct cache *c,
				    const struct out_list *outs, const struct xfer_opts *opts)
{
	const struct cairn_error *e;
	struct xplan p;
	size_t i, n, *idx;

	xplan_init(&p, res, r, c, opts);
	if (r->ops->read_only) {
		xplan_release(&p);
		return err_new(CAIRN_ERR_REMOTE, "remote '%s' is read-only (%s)", r->name, r->url);
	}
	if ((e = xplan_build(&p, outs, false)) != NULL)
		goto done;
	/* ask about every object: what is on the remote is never guessed */
	idx = xplan_all(&p);
	e = xplan_batch(&p, XFER_EXISTS, idx, p.ids.n, "checking");
	for (i = 0; e == NULL && i < p.ids.n; i++)
		if (p.o[i].where == (XFER_LOCAL | XFER_REMOTE))
			res->present++;
	/*
	 * what is there already and not sent is renewed, so a gc --cloud
	 * elsewhere (whose roots cannot see the commit this push precedes)
	 * keeps it for gc.grace, as it keeps what the push sends
	 */
	if (e == NULL && r->ops->refresh)
		e = xfer_refresh(&p, idx);
	/* file objects first */
	for (i = n = 0; e == NULL && i < p.ids.n; i++)
		if (!p.o[i].manifest && p.o[i].where == XFER_LOCAL)
			idx[n++] = i;
	if (e == NULL)
		e = xplan_batch(&p, XFER_PUT, idx, n, "pushing");
	free(idx);
	/* then manifests, leaves first */
	if (e == NULL)
		e = xfer_push_manifests(&p);
	if (e == NULL)
		xplan_finish(&p, outs->n, XFER_LOCAL | XFER_REMOTE);
done:
	xplan_release(&p);
	return e;
}

/* ---- fetch ---- */

const struct cairn_error *xfer_fetch(struct xfer_result *res, struct remote *r, struct cache *c,
				     const struct out_list *outs, const struct xfer_opts *opts)
{
	const struct cairn_error *e;
	struct oid empty;
	struct xplan p;
	size_t i, n, *idx = NULL;

	xplan_init(&p, res, r, c, opts);
	oid_fromhex(&empty, CAIRN_OID_EMPTY_HEX);
	if ((e = xplan_build(&p, outs, true)) != NULL)
		goto done;
	idx = xcalloc(p.ids.n ? p.ids.n : 1, sizeof(*idx));
	for (i = n = 0; e == NULL && i < p.ids.n; i++) {
		if (p.o[i].where & XFER_LOCAL) {
			res->present++;
			continue;
		}
		if (oid_equal(&p.ids.v[i], &empty)) {
			/* zero bytes need no transfer */
			struct oid got;

			if ((e = cache_insert_buf(&got, c, "", 0)) == NULL)
				p.o[i].where |= XFER_LOCAL;
			continue;
		}
		if (!p.o[i].manifest)
			idx[n++] = i;
	}
	if (e == NULL)
		e = xplan_batch(&p, XFER_GET, idx, n, "fetching");
	if (e == NULL)
		e = cache_flush(c);
	if (e == NULL)
		xplan_finish(&p, outs->n, XFER_LOCAL);
done:
	free(idx);
	xplan_release(&p);
	return e;
}

/* ---- status ---- */

const struct cairn_error *xfer_status(struct xfer_result *res, struct remote *r, struct cache *c,
				      const struct out_list *outs, const struct xfer_opts *opts)
{
	const struct cairn_error *e;
	struct xplan p;
	size_t *idx = NULL;

	xplan_init(&p, res, r, c, opts);
	if ((e = xplan_build(&p, outs, true)) != NULL)
		goto done;
	idx = xplan_all(&p);
	if ((e = xplan_batch(&p, XFER_EXISTS, idx, p.ids.n, "checking")) != NULL)
		goto done;
	xplan_finish(&p, outs->n, XFER_LOCAL | XFER_REMOTE);
done:
	free(idx);
	xplan_release(&p);
	return e;
}

/* ---- verify ---- */

/*
 * Replace the damaged remote copy of plan object k with the cache's, which
 * is hashed as it is sent (a bad cache copy is quarantined, not sent): the
 * damaged one goes first, since a remote keeps an object of the right size.
 */
static const struct cairn_error *xfer_repair(struct xplan *p, size_t k)
{
	const struct cairn_error *e;
	uint64_t transferred = p->res->transferred, bytes = p->res->bytes;

	if ((e = xplan_batch(p, XFER_DEL, &k, 1, "repairing")) == NULL)
		e = xplan_batch(p, XFER_PUT, &k, 1, "repairing");
	p->res->transferred = transferred; /* counts what was verified */
	p->res->bytes = bytes;
	if (e == NULL) {
		p->o[k].where = 0; /* read it back too */
		p->res->repaired++;
	}
	return e;
}

const struct cairn_error *xfer_verify(struct xfer_result *res, struct remote *r, struct cache *c,
				      const struct out_list *outs, const struct xfer_opts *opts)
{
	const struct cairn_error *e;
	struct cache *checker;
	struct xplan p;
	size_t i, n, *idx = NULL;
	bool *redone = NULL;

	xplan_init(&p, res, r, c, opts);
	if ((e = xplan_build(&p, outs, false)) != NULL)
		goto done;
	/* download everything into a cache that only hashes: what a clone would get */
	idx = xplan_all(&p);
	for (i = 0; i < p.ids.n; i++)
		p.o[i].where = 0;
	if ((e = cache_open_checker(&checker)) != NULL)
		goto done;
	redone = xcalloc(p.ids.n ? p.ids.n : 1, sizeof(*redone));
	for (;;) {
		/* what is not verified yet: all, then what a failure cut short */
		for (i = n = 0; i < p.ids.n; i++)
			if (!(p.o[i].where & XFER_LOCAL))
				idx[n++] = i;
		p.c = checker;
		e = xplan_batch(&p, XFER_GET, idx, n, "verifying");
		p.c = c;
		/* a damaged object is sent again once, when the cache has it */
		if (!err_is(e, CAIRN_ERR_CORRUPT) || p.failed == SIZE_MAX || redone[p.failed] ||
		    !cache_has(c, &p.ids.v[p.failed]))
			break;
		redone[p.failed] = true;
		if ((e = xfer_repair(&p, p.failed)) != NULL)
			break;
	}
	cache_close(checker);
	if (e == NULL)
		xplan_finish(&p, outs->n, XFER_LOCAL);
done:
	free(redone);
	free(idx);
	xplan_release(&p);
	return e;
}
