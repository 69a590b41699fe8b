/*
 * lockfile.c: cairn.lock read with libyaml's document loader (errors name
 * line and column) and written with its emitter in canonical order.
 */
#include "buildconf.h"

#include "core/lockfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "core/fsutil.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/stage.h"
#include "core/xmalloc.h"
#include "core/yjson.h"

#define LOCKFILE_SCHEMA "1"

static void lockfile_entries_free(struct lockfile_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void lockfile_stage_release(struct lockfile_stage *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->name);
	for (i = 0; i < s->ncmd; i++)
		free(s->cmd[i]);
	free(s->cmd);
	lockfile_entries_free(s->deps, s->ndeps);
	lockfile_entries_free(s->outs, s->nouts);
	lockfile_entries_free(s->metrics, s->nmetrics);
	json_decref(s->params);
	free(s->image);
	free(s->commit);
	free(s->version);
	memset(s, 0, sizeof(*s));
}

void lockfile_release(struct lockfile *lk)
{
	size_t i;

	for (i = 0; i < lk->n; i++)
		lockfile_stage_release(&lk->v[i]);
	free(lk->v);
	memset(lk, 0, sizeof(*lk));
}

/* The first record whose name is not below name (lk->v is sorted by name). */
static size_t lockfile_lower(const struct lockfile *lk, const char *name)
{
	size_t lo = 0, hi = lk->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(lk->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct lockfile_stage *lockfile_find(const struct lockfile *lk, const char *name)
{
	size_t i = lockfile_lower(lk, name);

	return i < lk->n && strcmp(lk->v[i].name, name) == 0 ? &lk->v[i] : NULL;
}

void lockfile_put(struct lockfile *lk, struct lockfile_stage *s)
{
	size_t i = lockfile_lower(lk, s->name);

	if (i < lk->n && strcmp(lk->v[i].name, s->name) == 0) {
		lockfile_stage_release(&lk->v[i]);
	} else {
		XGROW(lk->v, lk->n + 1, lk->cap);
		memmove(&lk->v[i + 1], &lk->v[i], (lk->n - i) * sizeof(*lk->v));
		lk->n++;
	}
	lk->v[i] = *s;
	memset(s, 0, sizeof(*s));
}

bool lockfile_drop(struct lockfile *lk, const char *name)
{
	struct lockfile_stage *s = lockfile_find(lk, name);
	size_t i;

	if (s == NULL)
		return false;
	i = (size_t)(s - lk->v);
	lockfile_stage_release(s);
	memmove(&lk->v[i], &lk->v[i + 1], (lk->n - i - 1) * sizeof(*lk->v));
	lk->n--;
	return true;
}

static int lockfile_record_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lockfile_stage *)a)->name,
		      ((const struct lockfile_stage *)b)->name);
}

/* ---- parsing ---- */

struct lockfile_parse {
	yaml_document_t *doc;
	const char *name;
};

static const struct cairn_error *lockfile_bad(const struct lockfile_parse *lp,
					      const yaml_node_t *n, const char *fmt, ...)
	CAIRN_PRINTF(3, 4);
static const struct cairn_error *lockfile_bad(const struct lockfile_parse *lp,
					      const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_new(CAIRN_ERR_FORMAT, "%s:%lu:%lu: %s", lp->name,
		       n ? (unsigned long)n->start_mark.line + 1 : 1UL,
		       n ? (unsigned long)n->start_mark.column + 1 : 1UL, msg);
}

static const char *lockfile_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *lockfile_node(const struct lockfile_parse *lp, int id)
{
	return yaml_document_get_node(lp->doc, id);
}

/* True when pr is the pair yjson_dup_key found in m (its key is an earlier one's). */
static bool lockfile_dup(const yaml_node_t *m, const yaml_node_pair_t *pr, size_t dup)
{
	return (size_t)(pr - m->data.mapping.pairs.start) == dup;
}

/* A size or count: decimal, at most INT64_MAX (the largest off_t, and JSON's integers). */
static bool lockfile_u64(uint64_t *out, const char *s)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || v > ((uint64_t)INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* A path a lockfile may name: normalised, inside the work tree (or absolute when external). */
static const char *lockfile_path_check(const char *path, bool allow_external)
{
	const struct cairn_error *e;
	char *rel = NULL;
	bool ext, same;

	if ((e = stage_norm_path(&rel, &ext, "", path, NULL)) != NULL)
		return "path is outside the repository or not normalised";
	same = strcmp(rel, path) == 0;
	free(rel);
	if (ext && !allow_external)
		return "path is outside the repository";
	if (!same)
		return "path is not normalised";
	return NULL;
}

static const struct cairn_error *lockfile_entries(struct lockfile_entry **out, size_t *nout,
						  const struct lockfile_parse *lp, yaml_node_t *v,
						  const char *key, bool allow_external)
{
	yaml_node_item_t *it;
	size_t cap = 0;

	if (v->type != YAML_SEQUENCE_NODE)
		return lockfile_bad(lp, v, "'%s' must be a list", key);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *m = lockfile_node(lp, *it);
		struct lockfile_entry *en;
		yaml_node_pair_t *pr;
		bool has_id = false, has_size = false;
		const char *why;
		size_t dup;

		if (m->type != YAML_MAPPING_NODE)
			return lockfile_bad(lp, m, "an entry of '%s' must be a mapping", key);
		dup = yjson_dup_key(lp->doc, m);
		XGROW(*out, *nout + 1, cap);
		en = &(*out)[(*nout)++];
		memset(en, 0, sizeof(*en));
		for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
			yaml_node_t *kn = lockfile_node(lp, pr->key), *vn = lockfile_node(lp, pr->value);
			const char *k = lockfile_scalar(kn), *s = lockfile_scalar(vn);

			if (k == NULL)
				return lockfile_bad(lp, kn, "keys must be strings");
			if (lockfile_dup(m, pr, dup))
				return lockfile_bad(lp, kn, "key '%s' given twice", k);
			if (strcmp(k, "path") == 0) {
				if (s == NULL || en->path)
					return lockfile_bad(lp, vn, "'path' must be one string");
				if ((why = lockfile_path_check(s, allow_external)) != NULL)
					return lockfile_bad(lp, vn, "'%s': %s", s, why);
				en->path = xstrdup(s);
			} else if (strcmp(k, "sha256") == 0) {
				if (!s || !oid_fromhex(&en->id, s))
					return lockfile_bad(lp, vn,
							    "'sha256' must be 64 lowercase hex digits");
				has_id = true;
			} else if (strcmp(k, "size") == 0) {
				if (!lockfile_u64(&en->size, s))
					return lockfile_bad(lp, vn, "'size' must be a number");
				has_size = true;
			} else if (strcmp(k, "nfiles") == 0) {
				if (!lockfile_u64(&en->nfiles, s))
					return lockfile_bad(lp, vn, "'nfiles' must be a number");
				en->dir = true;
			} else if (strcmp(k, "exec") == 0) {
				en->exec = s && strcmp(s, "true") == 0;
			}
			/* other keys are ignored: newer versions may add some */
		}
		if (en->path == NULL || !has_id || !has_size)
			return lockfile_bad(lp, m, "an entry of '%s' needs 'path', 'sha256' and 'size'",
					    key);
	}
	return NULL;
}

static const struct cairn_error *lockfile_params(json_t **out, const struct lockfile_parse *lp,
						 yaml_node_t *v)
{
	const struct cairn_error *e;
	const char *file, *why;
	json_t *val;

	if ((e = yjson_node(out, lp->doc, v, lp->name)) != NULL)
		return e;
	if (!json_is_object(*out))
		return lockfile_bad(lp, v, "'params' must be a mapping of params files");
	json_object_foreach(*out, file, val) {
		if ((why = lockfile_path_check(file, false)) != NULL)
			return lockfile_bad(lp, v, "params file '%s': %s", file, why);
		if (!json_is_object(val))
			return lockfile_bad(lp, v, "the params of '%s' must be a mapping", file);
	}
	return NULL;
}

static const struct cairn_error *lockfile_stage(struct lockfile_stage *s,
						const struct lockfile_parse *lp, yaml_node_t *kn,
						yaml_node_t *m)
{
	const struct cairn_error *e = NULL;
	yaml_node_pair_t *pr;
	const char *why;
	size_t dup;

	s->name = xstrdup(lockfile_scalar(kn));
	if ((why = stage_name_check(s->name)) != NULL)
		return lockfile_bad(lp, kn, "bad stage name '%s': %s", s->name, why);
	if (m->type != YAML_MAPPING_NODE)
		return lockfile_bad(lp, m, "stage '%s' must be a mapping", s->name);
	dup = yjson_dup_key(lp->doc, m);
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top && !e; pr++) {
		yaml_node_t *k = lockfile_node(lp, pr->key), *v = lockfile_node(lp, pr->value);
		const char *ks = lockfile_scalar(k), *vs = lockfile_scalar(v);

		if (ks == NULL)
			return lockfile_bad(lp, k, "keys must be strings");
		if (lockfile_dup(m, pr, dup))
			return lockfile_bad(lp, k, "key '%s' given twice in stage '%s'", ks, s->name);
		if (strcmp(ks, "cmd") == 0) {
			yaml_node_item_t *it;

			if (vs) {
				s->cmd = xcalloc(1, sizeof(char *));
				s->cmd[s->ncmd++] = xstrdup(vs);
			} else if (v->type == YAML_SEQUENCE_NODE) {
				size_t n = (size_t)(v->data.sequence.items.top -
						    v->data.sequence.items.start);

				s->cmd = xcalloc(n ? n : 1, sizeof(char *));
				for (it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++) {
					const char *c = lockfile_scalar(lockfile_node(lp, *it));

					if (c == NULL)
						return lockfile_bad(lp, v, "'cmd' must hold strings");
					s->cmd[s->ncmd++] = xstrdup(c);
				}
			} else {
				return lockfile_bad(lp, v, "'cmd' must be a string or a list");
			}
		} else if (strcmp(ks, "deps") == 0) {
			e = lockfile_entries(&s->deps, &s->ndeps, lp, v, "deps", true);
		} else if (strcmp(ks, "outs") == 0) {
			e = lockfile_entries(&s->outs, &s->nouts, lp, v, "outs", false);
		} else if (strcmp(ks, "metrics") == 0) {
			e = lockfile_entries(&s->metrics, &s->nmetrics, lp, v, "metrics", false);
		} else if (strcmp(ks, "params") == 0) {
			json_decref(s->params);
			s->params = NULL;
			e = lockfile_params(&s->params, lp, v);
		} else if (strcmp(ks, "image") == 0) {
			if (vs == NULL)
				return lockfile_bad(lp, v, "'image' must be a string");
			free(s->image);
			s->image = xstrdup(vs);
		} else if (strcmp(ks, "cairn") == 0) {
			free(s->version);
			s->version = xstrdup(vs ? vs : "");
		} else if (strcmp(ks, "git") == 0) {
			yaml_node_pair_t *gp;
			size_t gdup;

			if (v->type != YAML_MAPPING_NODE)
				return lockfile_bad(lp, v, "'git' must be a mapping");
			gdup = yjson_dup_key(lp->doc, v);
			for (gp = v->data.mapping.pairs.start; gp < v->data.mapping.pairs.top; gp++) {
				const char *gk = lockfile_scalar(lockfile_node(lp, gp->key));
				yaml_node_t *gvn = lockfile_node(lp, gp->value);
				const char *gv = lockfile_scalar(gvn);

				if (lockfile_dup(v, gp, gdup))
					return lockfile_bad(lp, lockfile_node(lp, gp->key),
							    "key '%s' given twice", gk);
				if (gk && strcmp(gk, "commit") == 0) {
					size_t i;

					if (gv == NULL || strlen(gv) != 40)
						return lockfile_bad(lp, gvn, "'commit' must be 40 hex digits");
					for (i = 0; i < 40; i++)
						if (!strchr("0123456789abcdef", gv[i]))
							return lockfile_bad(lp, gvn,
									    "'commit' must be 40 hex digits");
					free(s->commit);
					s->commit = xstrdup(gv);
				} else if (gk && strcmp(gk, "dirty") == 0) {
					s->dirty = gv && strcmp(gv, "true") == 0;
				}
			}
		}
	}
	if (e == NULL && s->ncmd == 0)
		e = lockfile_bad(lp, kn, "stage '%s' has no 'cmd'", s->name);
	return e;
}

const struct cairn_error *lockfile_parse(struct lockfile *lk, const char *data, size_t len,
					 const char *name)
{
	const struct cairn_error *e = NULL;
	yaml_document_t doc;
	yaml_node_t *top, *stages = NULL;
	yaml_node_pair_t *pr;
	struct lockfile_parse lp;
	size_t dup;

	memset(lk, 0, sizeof(*lk));
	lk->exists = true;
	if (ptr_has_conflict(data, len))
		return err_hint(err_new(CAIRN_ERR_FORMAT, "'%s' contains merge conflict markers", name),
				"keep one side (git checkout --ours %s) or delete it, then run "
				"'cairn repro' to record the merged pipeline",
				name);
	if ((e = yjson_load(&doc, data, len, name)) != NULL)
		return e;
	lp.doc = &doc;
	lp.name = name;
	top = yaml_document_get_root_node(&doc);
	if (top == NULL)
		goto done;
	if (top->type != YAML_MAPPING_NODE) {
		e = lockfile_bad(&lp, top, "the top level must be a mapping");
		goto done;
	}
	dup = yjson_dup_key(&doc, top);
	for (pr = top->data.mapping.pairs.start; pr < top->data.mapping.pairs.top; pr++) {
		const char *k = lockfile_scalar(lockfile_node(&lp, pr->key));
		yaml_node_t *v = lockfile_node(&lp, pr->value);

		if (lockfile_dup(top, pr, dup)) {
			e = lockfile_bad(&lp, lockfile_node(&lp, pr->key), "key '%s' given twice", k);
			goto done;
		}
		if (k && strcmp(k, "stages") == 0)
			stages = v;
		else if (k && strcmp(k, "schema") == 0 &&
			 (lockfile_scalar(v) == NULL || strcmp(lockfile_scalar(v), LOCKFILE_SCHEMA))) {
			e = lockfile_bad(&lp, v, "unsupported schema (this cairn reads schema %s)",
					 LOCKFILE_SCHEMA);
			goto done;
		}
	}
	if (stages == NULL)
		goto done;
	if (stages->type != YAML_MAPPING_NODE) {
		e = lockfile_bad(&lp, stages, "'stages' must be a mapping");
		goto done;
	}
	dup = yjson_dup_key(&doc, stages);
	for (pr = stages->data.mapping.pairs.start; pr < stages->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = lockfile_node(&lp, pr->key);
		struct lockfile_stage s;

		if (lockfile_scalar(k) == NULL) {
			e = lockfile_bad(&lp, k, "stage names must be strings");
			goto done;
		}
		if (lockfile_dup(stages, pr, dup)) {
			e = lockfile_bad(&lp, k, "stage '%s' is recorded twice", lockfile_scalar(k));
			goto done;
		}
		memset(&s, 0, sizeof(s));
		s.params = json_object();
		if ((e = lockfile_stage(&s, &lp, k, lockfile_node(&lp, pr->value))) != NULL) {
			lockfile_stage_release(&s);
			goto done;
		}
		XGROW(lk->v, lk->n + 1, lk->cap); /* a new name: sorted below, not searched */
		lk->v[lk->n++] = s;
	}
	if (lk->n > 1)
		qsort(lk->v, lk->n, sizeof(*lk->v), lockfile_record_cmp);
done:
	yaml_document_delete(&doc);
	if (e) {
		lockfile_release(lk);
		lk->exists = true;
	}
	return e;
}

const struct cairn_error *lockfile_load(struct lockfile *lk, struct repo *r)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	char *path = fs_join(r->root, LOCKFILE_NAME);

	memset(lk, 0, sizeof(*lk));
	buf_init(&b);
	e = fs_read_file(&b, path, LOCKFILE_MAX_BYTES);
	free(path);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		e = NULL;
	else if (e == NULL)
		e = lockfile_parse(lk, b.s, b.len, LOCKFILE_NAME);
	buf_release(&b);
	return e;
}

const struct cairn_error *lockfile_load_rev(struct lockfile *lk, struct repo *r, const char *spec)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	bool found;
	char *name;

	memset(lk, 0, sizeof(*lk));
	buf_init(&b);
	e = rev_read_file(&b, &found, r, spec, LOCKFILE_NAME, LOCKFILE_MAX_BYTES);
	if (e == NULL && found) {
		name = xasprintf("%s (at %s)", LOCKFILE_NAME, spec);
		e = lockfile_parse(lk, b.s, b.len, name);
		free(name);
	}
	buf_release(&b);
	return e;
}

/* ---- writing ---- */

static int lockfile_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lockfile_entry *)a)->path,
		      ((const struct lockfile_entry *)b)->path);
}

static int lockfile_stage_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct lockfile_stage *const *)a)->name,
		      (*(const struct lockfile_stage *const *)b)->name);
}

static bool lockfile_kv(yaml_emitter_t *em, const char *k, const char *v)
{
	return yjson_emit_str(em, k) && yjson_emit_str(em, v);
}

static bool lockfile_plain_kv(yaml_emitter_t *em, const char *k, const char *v)
{
	yaml_event_t ev;

	return yjson_emit_str(em, k) &&
	       yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)v, (int)strlen(v), 1,
					    1, YAML_PLAIN_SCALAR_STYLE) &&
	       yaml_emitter_emit(em, &ev);
}

static bool lockfile_emit_entries(yaml_emitter_t *em, const char *key,
				  struct lockfile_entry *v, size_t n)
{
	yaml_event_t ev;
	char hex[CAIRN_OID_HEXLEN + 1], num[32];
	size_t i;
	bool ok;

	if (n == 0)
		return true;
	qsort(v, n, sizeof(*v), lockfile_entry_cmp);
	ok = yjson_emit_str(em, key) &&
	     yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) &&
	     yaml_emitter_emit(em, &ev);
	for (i = 0; ok && i < n; i++) {
		oid_tohex(hex, &v[i].id);
		ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 YAML_BLOCK_MAPPING_STYLE) &&
		     yaml_emitter_emit(em, &ev) && lockfile_kv(em, "path", v[i].path) &&
		     lockfile_plain_kv(em, "sha256", hex);
		snprintf(num, sizeof(num), "%" PRIu64, v[i].size);
		ok = ok && lockfile_plain_kv(em, "size", num);
		if (ok && v[i].dir) {
			snprintf(num, sizeof(num), "%" PRIu64, v[i].nfiles);
			ok = lockfile_plain_kv(em, "nfiles", num);
		}
		if (ok && !v[i].dir && v[i].exec)
			ok = lockfile_plain_kv(em, "exec", "true");
		ok = ok && yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	}
	return ok && yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

/* params with files and keys sorted */
static bool lockfile_emit_params(yaml_emitter_t *em, json_t *params)
{
	json_t *sorted;
	bool ok;
	char *s;

	if (json_object_size(params) == 0)
		return true;
	/* jansson sorts keys when dumping: round-trip through sorted JSON */
	s = json_dumps(params, JSON_SORT_KEYS | JSON_COMPACT);
	sorted = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	if (sorted == NULL)
		return false;
	ok = yjson_emit_str(em, "params") && yjson_emit(em, sorted);
	json_decref(sorted);
	return ok;
}

static bool lockfile_emit_stage(yaml_emitter_t *em, struct lockfile_stage *s)
{
	yaml_event_t ev;
	size_t i;
	bool ok;

	ok = yjson_emit_str(em, s->name) &&
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     yaml_emitter_emit(em, &ev) && yjson_emit_str(em, "cmd");
	if (ok && s->ncmd == 1) {
		ok = yjson_emit_str(em, s->cmd[0]);
	} else if (ok) {
		ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  YAML_BLOCK_SEQUENCE_STYLE) &&
		     yaml_emitter_emit(em, &ev);
		for (i = 0; ok && i < s->ncmd; i++)
			ok = yjson_emit_str(em, s->cmd[i]);
		ok = ok && yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	}
	ok = ok && lockfile_emit_entries(em, "deps", s->deps, s->ndeps) &&
	     lockfile_emit_params(em, s->params) &&
	     lockfile_emit_entries(em, "outs", s->outs, s->nouts) &&
	     lockfile_emit_entries(em, "metrics", s->metrics, s->nmetrics);
	if (ok && s->image)
		ok = lockfile_kv(em, "image", s->image);
	if (ok && s->commit)
		ok = yjson_emit_str(em, "git") &&
		     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 YAML_BLOCK_MAPPING_STYLE) &&
		     yaml_emitter_emit(em, &ev) && lockfile_plain_kv(em, "commit", s->commit) &&
		     lockfile_plain_kv(em, "dirty", s->dirty ? "true" : "false") &&
		     yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	if (ok && s->version)
		ok = lockfile_kv(em, "cairn", s->version);
	return ok && yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

const struct cairn_error *lockfile_format(struct buf *out, const struct lockfile *lk)
{
	struct lockfile_stage **order = xcalloc(lk->n ? lk->n : 1, sizeof(*order));
	yaml_emitter_t em;
	yaml_event_t ev;
	size_t i;
	bool ok;

	for (i = 0; i < lk->n; i++)
		order[i] = &lk->v[i];
	qsort(order, lk->n, sizeof(*order), lockfile_stage_cmp);
	yjson_emitter_init(&em, out);
	ok = yjson_doc_start(&em) &&
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     yaml_emitter_emit(&em, &ev) && yjson_emit_str(&em, "schema") &&
	     yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)LOCKFILE_SCHEMA, 1, 1, 1,
					  YAML_SINGLE_QUOTED_SCALAR_STYLE) &&
	     yaml_emitter_emit(&em, &ev);
	ok = ok && yjson_emit_str(&em, "stages") &&
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     yaml_emitter_emit(&em, &ev);
	for (i = 0; ok && i < lk->n; i++)
		ok = lockfile_emit_stage(&em, order[i]);
	ok = ok && yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
	     yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
	     yjson_doc_end(&em);
	free(order);
	if (!ok) {
		const struct cairn_error *e = err_new(CAIRN_ERR_FORMAT, "cannot write %s: %s",
						      LOCKFILE_NAME,
						      em.problem ? em.problem : "emitter error");

		yaml_emitter_delete(&em);
		return e;
	}
	yaml_emitter_delete(&em);
	return NULL;
}

const struct cairn_error *lockfile_write(const struct lockfile *lk, struct repo *r)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;

	if (lk->n == 0) {
		if (unlinkat(r->rootfd, LOCKFILE_NAME, 0) < 0 && errno != ENOENT)
			return err_errno("remove '%s'", LOCKFILE_NAME);
		return NULL;
	}
	buf_init(&b);
	e = lockfile_format(&b, lk);
	if (e == NULL)
		e = fs_atomic_write_at(r->rootfd, LOCKFILE_NAME, b.s, b.len, 0644);
	buf_release(&b);
	return e;
}

void lockfile_outs(struct out_list *l, const struct lockfile *lk)
{
	size_t i, j;

	for (i = 0; i < lk->n; i++)
		for (j = 0; j < lk->v[i].nouts; j++) {
			const struct lockfile_entry *en = &lk->v[i].outs[j];
			struct out *o;

			XGROW(l->v, l->n + 1, l->cap);
			o = &l->v[l->n++];
			memset(o, 0, sizeof(*o));
			o->ptr_rel = xstrdup(LOCKFILE_NAME);
			o->rel = xstrdup(en->path);
			o->dir = strchr(o->rel, '/') ? fs_dirname(o->rel) : xstrdup("");
			o->name = fs_basename(o->rel);
			o->ptr = ptr_new(o->name, en->dir ? PTR_DIR : PTR_FILE);
			o->ptr->id = en->id;
			o->ptr->size = en->size;
			o->ptr->nfiles = en->nfiles;
			o->ptr->exec = en->exec;
		}
}
