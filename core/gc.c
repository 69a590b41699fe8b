/*
 * gc.c: the sweep. Candidates are gathered in one pass over the cache,
 * sorted by id for a stable report, and each is stat'ed again just before
 * it goes, so an object an add touched meanwhile is kept.
 */
#include "buildconf.h"

#include "core/gc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cache.h"
#include "core/cachewalk.h"
#include "core/config.h"
#include "core/fault.h"
#include "core/fsutil.h"
#include "core/gcroots.h"
#include "core/xmalloc.h"

struct gc_cand {
	struct oid id;
	uint64_t size;
};

struct gc_temp {
	char *name;
	uint64_t size;
};

struct gc_run {
	const struct gcroots *g;
	const struct gc_opts *o;
	struct gc_result *res;
	int64_t cutoff; /* older than this (ns since the epoch) may go */
	struct gc_cand *v;
	size_t n, cap;
	struct gc_temp *temps;
	size_t nt, capt;
};

const struct cairn_error *gc_parse_grace(int64_t *ns, const char *text)
{
	char *end;
	long long v;
	int64_t unit = 1000000000LL;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || v < 0 || errno)
		goto bad;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		unit *= 60, end++;
	else if (*end == 'h')
		unit *= 3600, end++;
	else if (*end == 'd')
		unit *= 86400, end++;
	if (*end != '\0' || v > INT64_MAX / unit)
		goto bad;
	*ns = (int64_t)v * unit;
	return NULL;
bad:
	return err_hint(err_new(CAIRN_ERR_FORMAT, "gc.grace: bad duration '%s'", text),
			"use seconds, or a number with s, m, h or d (e.g. 1h)");
}

const struct cairn_error *gc_grace(int64_t *ns, struct config *cfg)
{
	const struct cairn_error *e;
	char *v = NULL;

	if ((e = config_get_str(&v, cfg, "gc.grace")) != NULL)
		return e;
	e = gc_parse_grace(ns, v ? v : GC_GRACE_DEFAULT);
	free(v);
	return e;
}

static int64_t gc_mtime(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static const struct cairn_error *gc_on_object(const struct oid *id, const struct stat *st,
					      void *arg)
{
	struct gc_run *r = arg;

	if (gcroots_has(r->g, id)) {
		r->res->kept++;
		r->res->kept_bytes += (uint64_t)st->st_size;
		return NULL;
	}
	if (gc_mtime(st) > r->cutoff) {
		r->res->young++;
		r->res->young_bytes += (uint64_t)st->st_size;
		return NULL;
	}
	XGROW(r->v, r->n + 1, r->cap);
	r->v[r->n].id = *id;
	r->v[r->n].size = (uint64_t)st->st_size;
	r->n++;
	return NULL;
}

static const struct cairn_error *gc_on_temp(const char *name, const struct stat *st, void *arg)
{
	struct gc_run *r = arg;

	if (gc_mtime(st) > r->cutoff)
		return NULL;
	XGROW(r->temps, r->nt + 1, r->capt);
	r->temps[r->nt].name = xstrdup(name);
	r->temps[r->nt].size = (uint64_t)st->st_size;
	r->nt++;
	return NULL;
}

static int gc_cand_cmp(const void *a, const void *b)
{
	return oid_cmp(&((const struct gc_cand *)a)->id, &((const struct gc_cand *)b)->id);
}

static int gc_temp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gc_temp *)a)->name, ((const struct gc_temp *)b)->name);
}

/* Still unreferenced and old? (an add may have touched it since the walk) */
static bool gc_still_old(const struct cache *c, const struct oid *id, int64_t cutoff)
{
	char *path = cache_path(c, id);
	struct stat st;
	bool old = lstat(path, &st) == 0 && gc_mtime(&st) <= cutoff;

	free(path);
	return old;
}

const struct cairn_error *gc_sweep(struct gc_result *res, struct cache *c,
				   const struct gcroots *g, const struct gc_opts *o)
{
	const struct cairn_error *e;
	struct gc_run r;
	size_t i;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.g = g;
	r.o = o;
	r.res = res;
	r.cutoff = fs_now_ns() - o->grace_ns;
	fault_point("gc-sweep");
	if ((e = cachewalk_objects(c, gc_on_object, &r)) != NULL)
		goto done;
	if ((e = cachewalk_temps(c, gc_on_temp, &r)) != NULL)
		goto done;
	if (r.n > 1)
		qsort(r.v, r.n, sizeof(*r.v), gc_cand_cmp);
	for (i = 0; i < r.n; i++) {
		if (o->cancel && (e = o->cancel(o->cancel_arg)) != NULL)
			goto done;
		if (!o->dry_run) {
			if (!gc_still_old(c, &r.v[i].id, r.cutoff)) {
				res->young++;
				res->young_bytes += r.v[i].size;
				continue;
			}
			if ((e = cachewalk_remove_object(c, &r.v[i].id)) != NULL)
				goto done;
		}
		res->removed++;
		res->removed_bytes += r.v[i].size;
		if (o->on_remove)
			o->on_remove(&r.v[i].id, NULL, r.v[i].size, o->arg);
	}
	if (r.nt > 1)
		qsort(r.temps, r.nt, sizeof(*r.temps), gc_temp_cmp);
	for (i = 0; i < r.nt; i++) {
		if (!o->dry_run && (e = cachewalk_remove_temp(c, r.temps[i].name)) != NULL)
			goto done;
		res->temps++;
		res->temp_bytes += r.temps[i].size;
		if (o->on_remove)
			o->on_remove(NULL, r.temps[i].name, r.temps[i].size, o->arg);
	}
done:
	for (i = 0; i < r.nt; i++)
		free(r.temps[i].name);
	free(r.temps);
	free(r.v);
	return e;
}
