/*
 * runcache.c: run cache entries as canonical JSON (jansson, sorted keys).
 */
#include "buildconf.h"

#include "core/runcache.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/lockfile.h"
#include "core/stage.h"
#include "core/xmalloc.h"

#define RUNCACHE_MAX_BYTES (16u << 20)

static json_t *runcache_paths(const struct stage_path *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i].rel));
	return a;
}

void runcache_key(struct oid *key, const struct stage *s, const struct lockfile_stage *cur)
{
	json_t *k = json_object(), *cmd = json_array(), *deps = json_object();
	size_t i;
	char *text;

	for (i = 0; i < cur->ncmd; i++)
		json_array_append_new(cmd, json_string(cur->cmd[i]));
	for (i = 0; i < cur->ndeps; i++)
		json_object_set_new(deps, cur->deps[i].path, json_string(oid_hex(&cur->deps[i].id)));
	json_object_set_new(k, "cmd", cmd);
	json_object_set_new(k, "wdir", json_string(s->wdir));
	json_object_set_new(k, "deps", deps);
	json_object_set(k, "params", cur->params);
	json_object_set_new(k, "image", cur->image ? json_string(cur->image) : json_null());
	json_object_set_new(k, "outs", runcache_paths(s->outs, s->nouts));
	json_object_set_new(k, "metrics", runcache_paths(s->metrics, s->nmetrics));
	text = json_dumps(k, JSON_SORT_KEYS | JSON_COMPACT);
	hash_buf(key, text, strlen(text));
	free(text);
	json_decref(k);
}

static char *runcache_path(struct cache *c, const struct oid *key)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	oid_tohex(hex, key);
	return xasprintf("%s/runs/%.2s/%s", cache_dir(c), hex, hex + 2);
}

static json_t *runcache_entries(const struct lockfile_entry *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "path", json_string(v[i].path));
		json_object_set_new(o, "sha256", json_string(oid_hex(&v[i].id)));
		json_object_set_new(o, "size", json_integer((json_int_t)v[i].size));
		if (v[i].dir)
			json_object_set_new(o, "nfiles", json_integer((json_int_t)v[i].nfiles));
		if (v[i].exec)
			json_object_set_new(o, "exec", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

/* Read entries back; false when anything is off or an object is missing from the cache. */
static bool runcache_read_entries(struct lockfile_entry **out, size_t *nout, json_t *a,
				  const struct stage_path *want, size_t nwant, struct cache *c)
{
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != nwant)
		return false;
	*out = xcalloc(nwant ? nwant : 1, sizeof(**out));
	*nout = nwant;
	for (i = 0; i < nwant; i++) {
		json_t *o = json_array_get(a, i), *nf = json_object_get(o, "nfiles");
		const char *path = json_string_value(json_object_get(o, "path"));
		const char *sha = json_string_value(json_object_get(o, "sha256"));
		json_t *size = json_object_get(o, "size");
		struct lockfile_entry *en = &(*out)[i];

		if (path == NULL || strcmp(path, want[i].rel) != 0 || sha == NULL ||
		    !oid_fromhex(&en->id, sha) || !json_is_integer(size) ||
		    json_integer_value(size) < 0 || !cache_has(c, &en->id))
			return false;
		en->path = xstrdup(path);
		en->size = (uint64_t)json_integer_value(size);
		if (json_is_integer(nf)) {
			en->dir = true;
			en->nfiles = (uint64_t)json_integer_value(nf);
		}
		en->exec = json_is_true(json_object_get(o, "exec"));
	}
	return true;
}

static void runcache_free_entries(struct lockfile_entry **v, size_t *n)
{
	size_t i;

	for (i = 0; *v && i < *n; i++)
		free((*v)[i].path);
	free(*v);
	*v = NULL;
	*n = 0;
}

/* Copies of the recorded entries, when they are the stage's paths and in the cache. */
static bool runcache_copy_entries(struct lockfile_entry **out, size_t *nout,
				  const struct lockfile_entry *v, size_t n,
				  const struct stage_path *want, size_t nwant, struct cache *c)
{
	size_t i;

	if (n != nwant)
		return false;
	*out = xcalloc(n ? n : 1, sizeof(**out));
	*nout = n;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].path, want[i].rel) != 0 || !cache_has(c, &v[i].id))
			return false;
		(*out)[i] = v[i];
		(*out)[i].path = xstrdup(v[i].path);
	}
	return true;
}

/* The lock's record rec as the run: same key, outputs in the cache. */
static void runcache_from_record(bool *hit, struct cache *c, const struct stage *s,
				 struct lockfile_stage *cur, const struct lockfile_stage *rec,
				 const struct oid *key)
{
	struct oid rkey;

	runcache_key(&rkey, s, rec);
	if (!oid_equal(&rkey, key))
		return;
	runcache_free_entries(&cur->outs, &cur->nouts);
	runcache_free_entries(&cur->metrics, &cur->nmetrics);
	if (runcache_copy_entries(&cur->outs, &cur->nouts, rec->outs, rec->nouts, s->outs,
				  s->nouts, c) &&
	    runcache_copy_entries(&cur->metrics, &cur->nmetrics, rec->metrics, rec->nmetrics,
				  s->metrics, s->nmetrics, c)) {
		*hit = true;
		return;
	}
	runcache_free_entries(&cur->outs, &cur->nouts);
	runcache_free_entries(&cur->metrics, &cur->nmetrics);
}

const struct cairn_error *runcache_lookup(bool *hit, struct cache *c, const struct stage *s,
					  struct lockfile_stage *cur,
					  const struct lockfile_stage *rec)
{
	struct buf b = BUF_INIT;
	struct oid key;
	json_t *doc;
	char *path;

	*hit = false;
	runcache_key(&key, s, cur);
	path = runcache_path(c, &key);
	buf_init(&b);
	if (fs_read_file(&b, path, RUNCACHE_MAX_BYTES) != NULL) {
		free(path);
		buf_release(&b);
		if (rec)
			runcache_from_record(hit, c, s, cur, rec, &key);
		return NULL;
	}
	free(path);
	doc = json_loadb(b.s, b.len, 0, NULL);
	buf_release(&b);
	if (doc == NULL)
		return NULL;
	runcache_free_entries(&cur->outs, &cur->nouts);
	runcache_free_entries(&cur->metrics, &cur->nmetrics);
	if (runcache_read_entries(&cur->outs, &cur->nouts, json_object_get(doc, "outs"), s->outs,
				  s->nouts, c) &&
	    runcache_read_entries(&cur->metrics, &cur->nmetrics, json_object_get(doc, "metrics"),
				  s->metrics, s->nmetrics, c)) {
		*hit = true;
	} else {
		runcache_free_entries(&cur->outs, &cur->nouts);
		runcache_free_entries(&cur->metrics, &cur->nmetrics);
	}
	json_decref(doc);
	return NULL;
}

const struct cairn_error *runcache_save(struct cache *c, const struct stage *s,
					const struct lockfile_stage *cur)
{
	const struct cairn_error *e;
	json_t *doc = json_object();
	struct oid key;
	char *path, *dir, *text;

	runcache_key(&key, s, cur);
	json_object_set_new(doc, "outs", runcache_entries(cur->outs, cur->nouts));
	json_object_set_new(doc, "metrics", runcache_entries(cur->metrics, cur->nmetrics));
	text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(doc);
	path = runcache_path(c, &key);
	dir = fs_dirname(path);
	e = fs_mkdirs(dir, 0777);
	if (e == NULL)
		e = fs_atomic_write(path, text, strlen(text), 0444);
	free(dir);
	free(path);
	free(text);
	return e;
}
