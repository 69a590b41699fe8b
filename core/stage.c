/*
 * stage.c: cairn.yaml. The loader walks libyaml's document so every problem
 * can name the line and column of the node at fault; nothing in the file is
 * trusted (it may come from a hostile clone): names, paths and keys are all
 * checked before a stage exists.
 */
#include "buildconf.h"

#include "core/stage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "core/dag.h"
#include "core/fsutil.h"
#include "core/lockfile.h"
#include "core/params.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/xmalloc.h"
#include "core/yjson.h"

static void stage_paths_free(struct stage_path *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].rel);
	}
	free(v);
}

void stage_release(struct stage *s)
{
	size_t i;

	free(s->name);
	for (i = 0; i < s->ncmd; i++)
		free(s->cmd[i]);
	free(s->cmd);
	free(s->wdir);
	stage_paths_free(s->deps, s->ndeps);
	stage_paths_free(s->outs, s->nouts);
	stage_paths_free(s->metrics, s->nmetrics);
	for (i = 0; i < s->nparams; i++) {
		free(s->params[i].file);
		free(s->params[i].key);
	}
	free(s->params);
	free(s->image);
	memset(s, 0, sizeof(*s));
}

void pipeline_release(struct pipeline *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		stage_release(&p->v[i]);
	free(p->v);
	free(p->byname);
	memset(p, 0, sizeof(*p));
}

struct stage *pipeline_find(const struct pipeline *p, const char *name)
{
	size_t i, lo = 0, hi = p->nbyname;

	if (p->byname && p->nbyname == p->n) { /* the index of pipeline_parse */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(p->v[p->byname[mid]].name, name);

			if (c == 0)
				return &p->v[p->byname[mid]];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return NULL;
	}
	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

const char *stage_name_check(const char *name)
{
	const char *c;

	if (*name == '\0')
		return "empty name";
	if (strlen(name) > 128)
		return "name longer than 128 characters";
	if (name[0] == '.' || name[0] == '-')
		return "name starts with '.' or '-'";
	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
			return "only letters, digits, '_', '-' and '.' are allowed";
	return NULL;
}

/* Lexically normalise a '/'-path: drop "." and empty parts, apply "..". Fails above the top. */
static bool stage_lexnorm(struct buf *out, const char *path)
{
	const char *p = path;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out->s, '/');

			if (out->len == 0)
				return false;
			out->len = slash ? (size_t)(slash - out->s) : 0;
			out->s[out->len] = '\0';
		} else {
			if (out->len)
				buf_addch(out, '/');
			buf_add(out, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

const struct cairn_error *stage_norm_path(char **rel, bool *external, const char *wdir,
					  const char *path, const char *root)
{
	struct buf b = BUF_INIT;
	char *copy, *comp, *save = NULL;
	const struct cairn_error *e = NULL;
	bool ok;

	*rel = NULL;
	*external = false;
	if (*path == '\0')
		return err_new(CAIRN_ERR_FAILED, "empty path");
	if (strpbrk(path, "\n\r"))
		return err_new(CAIRN_ERR_FAILED, "path '%s' contains a line break", path);
	buf_init(&b);
	if (path[0] == '/') {
		size_t rl = root ? strlen(root) : 0;
		char *abs;

		if (!stage_lexnorm(&b, path + 1)) {
			buf_release(&b);
			return err_new(CAIRN_ERR_FAILED, "bad path '%s'", path);
		}
		abs = xasprintf("/%s", b.s);
		buf_reset(&b);
		if (root && strncmp(abs, root, rl) == 0 && (abs[rl] == '/' || abs[rl] == '\0')) {
			buf_adds(&b, abs[rl] ? abs + rl + 1 : "");
			free(abs);
		} else {
			buf_release(&b);
			*external = true;
			*rel = abs;
			return NULL;
		}
	} else {
		char *joined = *wdir ? xasprintf("%s/%s", wdir, path) : xstrdup(path);

		ok = stage_lexnorm(&b, joined);
		free(joined);
		if (!ok) {
			buf_release(&b);
			return err_new(CAIRN_ERR_FAILED, "'%s' is outside the repository", path);
		}
	}
	if (b.len == 0) {
		buf_release(&b);
		return err_new(CAIRN_ERR_FAILED, "'%s' is the repository root", path);
	}
	copy = xstrdup(b.s);
	for (comp = strtok_r(copy, "/", &save); comp && !e; comp = strtok_r(NULL, "/", &save))
		if (strcasecmp(comp, ".git") == 0 || (comp == copy && strcmp(comp, ".cairn") == 0))
			e = err_new(CAIRN_ERR_FAILED, "'%s' is inside '%s'", path, comp);
	free(copy);
	if (e) {
		buf_release(&b);
		return e;
	}
	*rel = buf_detach(&b);
	return NULL;
}

/* ---- parsing ---- */

struct stage_parse {
	yaml_document_t *doc;
	const char *name;
	const char *root;
};

static const struct cairn_error *stage_bad(const struct stage_parse *sp, const yaml_node_t *n,
					   const char *fmt, ...) CAIRN_PRINTF(3, 4);
static const struct cairn_error *stage_bad(const struct stage_parse *sp, const yaml_node_t *n,
					   const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_new(CAIRN_ERR_FORMAT, "%s:%lu:%lu: %s", sp->name,
		       n ? (unsigned long)n->start_mark.line + 1 : 1UL,
		       n ? (unsigned long)n->start_mark.column + 1 : 1UL, msg);
}

static const char *stage_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *stage_node(const struct stage_parse *sp, int id)
{
	return yaml_document_get_node(sp->doc, id);
}

/* A string, or a list of strings, into a new array. */
static const struct cairn_error *stage_strings(char ***out, size_t *n, yaml_node_t ***nodes,
					       const struct stage_parse *sp, yaml_node_t *v,
					       const char *key)
{
	yaml_node_item_t *it;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	*nodes = NULL;
	if (v->type == YAML_SCALAR_NODE) {
		*out = xcalloc(1, sizeof(char *));
		*nodes = xcalloc(1, sizeof(yaml_node_t *));
		(*out)[0] = xstrdup(stage_scalar(v));
		(*nodes)[0] = v;
		*n = 1;
		return NULL;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return stage_bad(sp, v, "'%s' must be a string or a list of strings", key);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = stage_node(sp, *it);
		const char *s = stage_scalar(item);
		size_t c2 = cap;

		if (s == NULL) {
			size_t i;

			for (i = 0; i < *n; i++)
				free((*out)[i]);
			free(*out);
			free(*nodes);
			*out = NULL;
			*nodes = NULL;
			*n = 0;
			return stage_bad(sp, item, "every entry of '%s' must be a string", key);
		}
		XGROW(*out, *n + 1, cap);
		XGROW(*nodes, *n + 1, c2);
		(*out)[*n] = xstrdup(s);
		(*nodes)[(*n)++] = item;
	}
	return NULL;
}

const char *stage_reserved(const char *rel)
{
	const char *base = strrchr(rel, '/');
	size_t n;

	base = base ? base + 1 : rel;
	n = strlen(base);
	if (strcmp(rel, STAGE_FILE) == 0 || strcmp(rel, LOCKFILE_NAME) == 0)
		return "is cairn's own file";
	if (strcmp(base, ".gitignore") == 0)
		return "is a .gitignore file cairn keeps";
	if (n > 6 && strcmp(base + n - 6, ".cairn") == 0)
		return "is a pointer file";
	return NULL;
}

static const struct cairn_error *stage_paths(struct stage_path **out, size_t *nout,
					     const struct stage_parse *sp, yaml_node_t *v,
					     const char *key, const char *wdir, bool allow_external)
{
	const struct cairn_error *e;
	yaml_node_t **nodes;
	const char *why;
	char **strs;
	size_t n, i;

	if ((e = stage_strings(&strs, &n, &nodes, sp, v, key)) != NULL)
		return e;
	*out = xcalloc(n ? n : 1, sizeof(**out));
	*nout = n;
	for (i = 0; i < n; i++) {
		struct stage_path *p = &(*out)[i];

		p->path = strs[i];
		p->line = nodes[i]->start_mark.line + 1;
		p->col = nodes[i]->start_mark.column + 1;
		if (e == NULL && (e = stage_norm_path(&p->rel, &p->external, wdir, p->path,
						      sp->root)) != NULL)
			e = stage_bad(sp, nodes[i], "%s", e->msg);
		if (e == NULL && p->external && !allow_external)
			e = stage_bad(sp, nodes[i], "%s '%s' is outside the repository",
				      strcmp(key, "outs") == 0 ? "output" : "metric", p->path);
		if (e == NULL && !allow_external && (why = stage_reserved(p->rel)) != NULL)
			e = stage_bad(sp, nodes[i], "%s '%s' %s",
				      strcmp(key, "outs") == 0 ? "output" : "metric", p->path, why);
	}
	free(strs);
	free(nodes);
	return e;
}

static void stage_add_param(struct stage *s, size_t *cap, const char *file, const char *key)
{
	XGROW(s->params, s->nparams + 1, *cap);
	s->params[s->nparams].file = xstrdup(file);
	s->params[s->nparams].key = key ? xstrdup(key) : NULL;
	s->nparams++;
}

static const struct cairn_error *stage_params_file(char **rel, const struct stage_parse *sp,
						   yaml_node_t *n, const char *wdir, const char *file)
{
	const struct cairn_error *e;
	bool ext;

	if ((e = stage_norm_path(rel, &ext, wdir, file, sp->root)) != NULL)
		return stage_bad(sp, n, "%s", e->msg);
	if (ext) {
		free(*rel);
		*rel = NULL;
		return stage_bad(sp, n, "params file '%s' is outside the repository", file);
	}
	return NULL;
}

static const struct cairn_error *stage_params(struct stage *s, const struct stage_parse *sp,
					      yaml_node_t *v)
{
	const struct cairn_error *e = NULL;
	yaml_node_item_t *it;
	size_t cap = 0;
	char *deffile = NULL;

	if (v->type != YAML_SEQUENCE_NODE)
		return stage_bad(sp, v, "'params' must be a list");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top && !e; it++) {
		yaml_node_t *item = stage_node(sp, *it);
		yaml_node_pair_t *pr;

		if (item->type == YAML_SCALAR_NODE) {
			if (*stage_scalar(item) == '\0') {
				e = stage_bad(sp, item, "empty parameter name");
				break; /* deffile is freed below */
			}
			if (deffile == NULL &&
			    (e = stage_params_file(&deffile, sp, item, s->wdir, PARAMS_DEFAULT_FILE)))
				break;
			stage_add_param(s, &cap, deffile, stage_scalar(item));
			continue;
		}
		if (item->type != YAML_MAPPING_NODE) {
			e = stage_bad(sp, item, "a 'params' entry is a key or {FILE: [KEYS]}");
			break;
		}
		for (pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top && !e;
		     pr++) {
			yaml_node_t *kn = stage_node(sp, pr->key), *vn = stage_node(sp, pr->value);
			const char *file = stage_scalar(kn);
			yaml_node_item_t *ki;
			char *rel = NULL;

			if (file == NULL || *file == '\0') {
				e = stage_bad(sp, kn, "a params file name must be a string");
				break;
			}
			if ((e = stage_params_file(&rel, sp, kn, s->wdir, file)) != NULL)
				break;
			if (vn->type == YAML_SCALAR_NODE && *stage_scalar(vn) == '\0') {
				stage_add_param(s, &cap, rel, NULL); /* FILE: (empty): whole file */
			} else if (vn->type == YAML_SCALAR_NODE) {
				stage_add_param(s, &cap, rel, stage_scalar(vn));
			} else if (vn->type == YAML_SEQUENCE_NODE) {
				if (vn->data.sequence.items.top == vn->data.sequence.items.start)
					stage_add_param(s, &cap, rel, NULL);
				for (ki = vn->data.sequence.items.start;
				     ki < vn->data.sequence.items.top && !e; ki++) {
					yaml_node_t *k = stage_node(sp, *ki);

					if (stage_scalar(k) == NULL || *stage_scalar(k) == '\0')
						e = stage_bad(sp, k, "parameter names must be strings");
					else
						stage_add_param(s, &cap, rel, stage_scalar(k));
				}
			} else {
				e = stage_bad(sp, vn, "the keys of '%s' must be a list", file);
			}
			free(rel);
		}
	}
	free(deffile);
	return e;
}

static const struct cairn_error *stage_bool(bool *out, const struct stage_parse *sp,
					    yaml_node_t *v, const char *key)
{
	const char *s = stage_scalar(v);

	if (s && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0))
		*out = true;
	else if (s && (strcmp(s, "false") == 0 || strcmp(s, "False") == 0))
		*out = false;
	else
		return stage_bad(sp, v, "'%s' must be true or false", key);
	return NULL;
}

enum { K_CMD, K_DEPS, K_PARAMS, K_OUTS, K_METRICS, K_WDIR, K_IMAGE, K_ALWAYS, K_FROZEN, K_DESC,
       K_N };
static const char *const stage_keys[K_N] = { "cmd",   "deps",  "params",         "outs",
					     "metrics", "wdir", "image", "always_changed",
					     "frozen", "desc" };

static const struct cairn_error *stage_parse_one(struct stage *s, const struct stage_parse *sp,
						 yaml_node_t *kn, yaml_node_t *v)
{
	const struct cairn_error *e = NULL;
	yaml_node_t *at[K_N] = { 0 };
	yaml_node_pair_t *pr;
	yaml_node_t **nodes;
	const char *why;
	bool ext;
	int k;

	s->name = xstrdup(stage_scalar(kn));
	s->line = kn->start_mark.line + 1;
	s->col = kn->start_mark.column + 1;
	if ((why = stage_name_check(s->name)) != NULL)
		return stage_bad(sp, kn, "bad stage name '%s': %s", s->name, why);
	if (v->type != YAML_MAPPING_NODE)
		return stage_bad(sp, v, "stage '%s' must be a mapping", s->name);
	for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *key = stage_node(sp, pr->key);
		const char *ks = stage_scalar(key);

		for (k = 0; ks && k < K_N; k++)
			if (strcmp(ks, stage_keys[k]) == 0)
				break;
		if (ks == NULL || k == K_N)
			return stage_bad(sp, key, "unknown key '%s' in stage '%s'", ks ? ks : "?",
					 s->name);
		if (at[k])
			return stage_bad(sp, key, "key '%s' given twice in stage '%s'", ks, s->name);
		at[k] = stage_node(sp, pr->value);
	}
	if (at[K_CMD] == NULL)
		return stage_bad(sp, kn, "stage '%s' has no 'cmd'", s->name);
	s->wdir = xstrdup("");
	if (at[K_WDIR]) {
		const char *w = stage_scalar(at[K_WDIR]);
		char *rel = NULL;

		if (w == NULL)
			return stage_bad(sp, at[K_WDIR], "'wdir' must be a string");
		if (strcmp(w, ".") != 0 && *w) {
			if ((e = stage_norm_path(&rel, &ext, "", w, sp->root)) != NULL)
				return stage_bad(sp, at[K_WDIR], "%s", e->msg);
			if (ext) {
				free(rel);
				return stage_bad(sp, at[K_WDIR], "'wdir' is outside the repository");
			}
			free(s->wdir);
			s->wdir = rel;
		}
	}
	if ((e = stage_strings(&s->cmd, &s->ncmd, &nodes, sp, at[K_CMD], "cmd")) != NULL)
		return e;
	free(nodes);
	if (s->ncmd == 0)
		return stage_bad(sp, at[K_CMD], "stage '%s' has an empty 'cmd'", s->name);
	for (size_t i = 0; i < s->ncmd; i++)
		if (*s->cmd[i] == '\0')
			return stage_bad(sp, at[K_CMD], "stage '%s' has an empty 'cmd'", s->name);
	if (at[K_DEPS] &&
	    (e = stage_paths(&s->deps, &s->ndeps, sp, at[K_DEPS], "deps", s->wdir, true)) != NULL)
		return e;
	if (at[K_OUTS] &&
	    (e = stage_paths(&s->outs, &s->nouts, sp, at[K_OUTS], "outs", s->wdir, false)) != NULL)
		return e;
	if (at[K_METRICS] && (e = stage_paths(&s->metrics, &s->nmetrics, sp, at[K_METRICS],
					      "metrics", s->wdir, false)) != NULL)
		return e;
	if (at[K_PARAMS] && (e = stage_params(s, sp, at[K_PARAMS])) != NULL)
		return e;
	if (at[K_IMAGE]) {
		const char *im = stage_scalar(at[K_IMAGE]);

		if (im == NULL || *im == '\0' || im[0] == '-' || strpbrk(im, " \t\n\r"))
			return stage_bad(sp, at[K_IMAGE], "'image' must be an image name");
		s->image = xstrdup(im);
	}
	if (at[K_ALWAYS] && (e = stage_bool(&s->always_changed, sp, at[K_ALWAYS],
					    "always_changed")) != NULL)
		return e;
	if (at[K_FROZEN] && (e = stage_bool(&s->frozen, sp, at[K_FROZEN], "frozen")) != NULL)
		return e;
	return NULL;
}

struct pipeline_key {
	const char *name;
	size_t i;
};

static int pipeline_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pipeline_key *)a)->name,
		      ((const struct pipeline_key *)b)->name);
}

/* Index the stages by name for pipeline_find (names are unique here). */
static void pipeline_index(struct pipeline *p)
{
	struct pipeline_key *k = xcalloc(p->n ? p->n : 1, sizeof(*k));
	size_t i;

	for (i = 0; i < p->n; i++) {
		k[i].name = p->v[i].name;
		k[i].i = i;
	}
	if (p->n > 1)
		qsort(k, p->n, sizeof(*k), pipeline_key_cmp);
	p->byname = xcalloc(p->n ? p->n : 1, sizeof(*p->byname));
	for (i = 0; i < p->n; i++)
		p->byname[i] = k[i].i;
	p->nbyname = p->n;
	free(k);
}

const struct cairn_error *pipeline_parse(struct pipeline *p, const char *data, size_t len,
					 const char *name, const char *root)
{
	const struct cairn_error *e = NULL;
	yaml_document_t doc;
	yaml_node_t *top, *stages = NULL;
	yaml_node_pair_t *pr;
	struct stage_parse sp;
	size_t dup;

	memset(p, 0, sizeof(*p));
	p->exists = true;
	if (ptr_has_conflict(data, len))
		return err_hint(err_new(CAIRN_ERR_FORMAT, "'%s' contains merge conflict markers", name),
				"resolve the conflict in %s, then run 'cairn repro'", name);
	if ((e = yjson_load(&doc, data, len, name)) != NULL)
		return e;
	sp.doc = &doc;
	sp.name = name;
	sp.root = root;
	top = yaml_document_get_root_node(&doc);
	if (top == NULL)
		goto done; /* an empty file: no stages */
	if (top->type != YAML_MAPPING_NODE) {
		e = stage_bad(&sp, top, "the top level must be a mapping with 'stages'");
		goto done;
	}
	for (pr = top->data.mapping.pairs.start; pr < top->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = stage_node(&sp, pr->key);
		const char *ks = stage_scalar(k);

		if (ks && strcmp(ks, "stages") == 0 && stages == NULL) {
			stages = stage_node(&sp, pr->value);
		} else {
			e = stage_bad(&sp, k, "unknown top-level key '%s'", ks ? ks : "?");
			goto done;
		}
	}
	if (stages == NULL || (stages->type == YAML_SCALAR_NODE && !*stage_scalar(stages)))
		goto done;
	if (stages->type != YAML_MAPPING_NODE) {
		e = stage_bad(&sp, stages, "'stages' must be a mapping of stage names");
		goto done;
	}
	dup = yjson_dup_key(&doc, stages); /* not pipeline_find per stage: quadratic */
	for (pr = stages->data.mapping.pairs.start; pr < stages->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = stage_node(&sp, pr->key);

		if (stage_scalar(k) == NULL) {
			e = stage_bad(&sp, k, "stage names must be strings");
			goto done;
		}
		if ((size_t)(pr - stages->data.mapping.pairs.start) == dup) {
			e = stage_bad(&sp, k, "stage '%s' is defined twice", stage_scalar(k));
			goto done;
		}
		XGROW(p->v, p->n + 1, p->cap);
		memset(&p->v[p->n], 0, sizeof(p->v[p->n]));
		p->n++;
		if ((e = stage_parse_one(&p->v[p->n - 1], &sp, k, stage_node(&sp, pr->value))))
			goto done;
	}
done:
	yaml_document_delete(&doc);
	if (e) {
		pipeline_release(p);
		p->exists = true;
		return e;
	}
	pipeline_index(p);
	return NULL;
}

const struct cairn_error *pipeline_load(struct pipeline *p, struct repo *r)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	char *path = fs_join(r->root, STAGE_FILE);

	memset(p, 0, sizeof(*p));
	buf_init(&b);
	e = fs_read_file(&b, path, STAGE_MAX_BYTES);
	free(path);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		buf_release(&b);
		return NULL;
	}
	if (e == NULL)
		e = pipeline_parse(p, b.s, b.len, STAGE_FILE, r->root);
	buf_release(&b);
	return e;
}

/* ---- writing ---- */

static bool stage_ev(yaml_emitter_t *em, yaml_event_t *ev, int ok)
{
	return ok && yaml_emitter_emit(em, ev);
}

static bool stage_emit_flow_list(yaml_emitter_t *em, const char *key, const struct stage_path *v,
				 size_t n)
{
	yaml_event_t ev;
	size_t i;

	if (n == 0)
		return true;
	if (!yjson_emit_str(em, key) ||
	    !stage_ev(em, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
								    YAML_FLOW_SEQUENCE_STYLE)))
		return false;
	for (i = 0; i < n; i++)
		if (!yjson_emit_str(em, v[i].path))
			return false;
	return stage_ev(em, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* params: plain keys of the default file, then {FILE: [KEYS]} per other file. */
static bool stage_emit_params(yaml_emitter_t *em, const struct stage *s)
{
	yaml_event_t ev;
	char *deffile;
	size_t i, j;
	bool ok;

	if (s->nparams == 0)
		return true;
	deffile = fs_join(s->wdir, PARAMS_DEFAULT_FILE);
	ok = yjson_emit_str(em, "params") &&
	     stage_ev(em, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
								    YAML_FLOW_SEQUENCE_STYLE));
	for (i = 0; ok && i < s->nparams; i++)
		if (strcmp(s->params[i].file, deffile) == 0 && s->params[i].key)
			ok = yjson_emit_str(em, s->params[i].key);
	for (i = 0; ok && i < s->nparams; i++) {
		const char *f = s->params[i].file;
		const char *shown = *s->wdir ? f + strlen(s->wdir) + 1 : f;

		if (strcmp(f, deffile) == 0 && s->params[i].key)
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(s->params[j].file, f) == 0 &&
			    !(strcmp(f, deffile) == 0 && s->params[j].key))
				break;
		if (j < i)
			continue; /* file already written */
		ok = stage_ev(em, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
									   YAML_FLOW_MAPPING_STYLE)) &&
		     yjson_emit_str(em, shown) &&
		     stage_ev(em, &ev, yaml_sequence_start_event_initialize(
					       &ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE));
		for (j = i; ok && j < s->nparams; j++)
			if (strcmp(s->params[j].file, f) == 0 && s->params[j].key)
				ok = yjson_emit_str(em, s->params[j].key);
		ok = ok && stage_ev(em, &ev, yaml_sequence_end_event_initialize(&ev)) &&
		     stage_ev(em, &ev, yaml_mapping_end_event_initialize(&ev));
	}
	free(deffile);
	return ok && stage_ev(em, &ev, yaml_sequence_end_event_initialize(&ev));
}

const struct cairn_error *stage_format(struct buf *out, const struct stage *s, int indent)
{
	struct buf text = BUF_INIT;
	yaml_emitter_t em;
	yaml_event_t ev;
	const char *p;
	size_t i;
	bool ok;

	buf_init(&text);
	yjson_emitter_init(&em, &text);
	ok = yjson_doc_start(&em) &&
	     stage_ev(&em, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
								    YAML_BLOCK_MAPPING_STYLE)) &&
	     yjson_emit_str(&em, s->name) &&
	     stage_ev(&em, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
								    YAML_BLOCK_MAPPING_STYLE)) &&
	     yjson_emit_str(&em, "cmd");
	if (s->ncmd == 1) {
		ok = ok && yjson_emit_str(&em, s->cmd[0]);
	} else {
		ok = ok && stage_ev(&em, &ev, yaml_sequence_start_event_initialize(
						      &ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
		for (i = 0; ok && i < s->ncmd; i++)
			ok = yjson_emit_str(&em, s->cmd[i]);
		ok = ok && stage_ev(&em, &ev, yaml_sequence_end_event_initialize(&ev));
	}
	if (ok && *s->wdir)
		ok = yjson_emit_str(&em, "wdir") && yjson_emit_str(&em, s->wdir);
	ok = ok && stage_emit_flow_list(&em, "deps", s->deps, s->ndeps) &&
	     stage_emit_params(&em, s) && stage_emit_flow_list(&em, "outs", s->outs, s->nouts) &&
	     stage_emit_flow_list(&em, "metrics", s->metrics, s->nmetrics);
	if (ok && s->image)
		ok = yjson_emit_str(&em, "image") && yjson_emit_str(&em, s->image);
	if (ok && s->always_changed)
		ok = yjson_emit_str(&em, "always_changed") &&
		     stage_ev(&em, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
								     (yaml_char_t *)"true", 4, 1, 1,
								     YAML_PLAIN_SCALAR_STYLE));
	if (ok && s->frozen)
		ok = yjson_emit_str(&em, "frozen") &&
		     stage_ev(&em, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
								     (yaml_char_t *)"true", 4, 1, 1,
								     YAML_PLAIN_SCALAR_STYLE));
	ok = ok && stage_ev(&em, &ev, yaml_mapping_end_event_initialize(&ev)) &&
	     stage_ev(&em, &ev, yaml_mapping_end_event_initialize(&ev)) && yjson_doc_end(&em);
	if (!ok) {
		const struct cairn_error *e = err_new(CAIRN_ERR_FORMAT, "cannot write stage '%s': %s",
						      s->name, em.problem ? em.problem : "emitter error");

		yaml_emitter_delete(&em);
		buf_release(&text);
		return e;
	}
	yaml_emitter_delete(&em);
	for (p = text.s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (n > 1 || *p != '\n')
			buf_addf(out, "%*s", indent, "");
		buf_add(out, p, n);
		p += n;
	}
	buf_release(&text);
	return NULL;
}

/* Column of the first stage name in text's 'stages' block mapping, or -1 when not appendable. */
static int pipeline_stage_indent(const char *old, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *top, *st = NULL;
	yaml_node_pair_t *pr;
	int col = -1;

	if (yjson_load(&doc, old, len, "") != NULL)
		return -1;
	top = yaml_document_get_root_node(&doc);
	if (top && top->type == YAML_MAPPING_NODE &&
	    top->data.mapping.pairs.top - top->data.mapping.pairs.start == 1) {
		pr = top->data.mapping.pairs.start;
		st = yaml_document_get_node(&doc, pr->value);
	}
	if (st && st->type == YAML_MAPPING_NODE &&
	    st->data.mapping.style == YAML_BLOCK_MAPPING_STYLE &&
	    st->data.mapping.pairs.top > st->data.mapping.pairs.start)
		col = (int)yaml_document_get_node(&doc, st->data.mapping.pairs.start->key)
			      ->start_mark.column;
	yaml_document_delete(&doc);
	return col;
}

static bool pipeline_blank(const char *s, size_t len)
{
	size_t i;
	bool comment = false;

	for (i = 0; i < len; i++) {
		if (s[i] == '#')
			comment = true;
		else if (s[i] == '\n')
			comment = false;
		else if (!comment && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	}
	return true;
}

const struct cairn_error *pipeline_append(struct buf *out, const char *old, size_t len,
					  const struct stage *s)
{
	const struct cairn_error *e;
	struct pipeline check;
	size_t i, before = out->len;
	int indent;

	if (pipeline_blank(old, len)) {
		buf_add(out, old, len);
		if (len && old[len - 1] != '\n')
			buf_addch(out, '\n');
		buf_adds(out, "stages:\n");
		return stage_format(out, s, 2);
	}
	indent = pipeline_stage_indent(old, len);
	if (indent > 0) {
		buf_add(out, old, len);
		if (old[len - 1] != '\n')
			buf_addch(out, '\n');
		if ((e = stage_format(out, s, indent)) != NULL)
			return e;
		/* the appended text must read back as the old stages plus this one */
		e = pipeline_parse(&check, out->s + before, out->len - before, STAGE_FILE, NULL);
		if (e == NULL && check.n > 0 && strcmp(check.v[check.n - 1].name, s->name) == 0) {
			pipeline_release(&check);
			return NULL;
		}
		pipeline_release(&check);
		out->len = before;
		out->s[before] = '\0';
	}
	/* not a plain block mapping: write the file again from its stages */
	if ((e = pipeline_parse(&check, old, len, STAGE_FILE, NULL)) != NULL)
		return e;
	buf_adds(out, "stages:\n");
	for (i = 0; i < check.n && e == NULL; i++)
		e = stage_format(out, &check.v[i], 2);
	if (e == NULL)
		e = stage_format(out, s, 2);
	pipeline_release(&check);
	return e;
}

const struct cairn_error *pipeline_add(struct repo *r, const struct stage *s, bool force)
{
	const struct cairn_error *e;
	struct buf old = BUF_INIT, text = BUF_INIT;
	struct pipeline cur, next;
	struct dag d;
	char *path = fs_join(r->root, STAGE_FILE);
	size_t i;

	memset(&cur, 0, sizeof(cur));
	memset(&next, 0, sizeof(next));
	buf_init(&old);
	buf_init(&text);
	e = fs_read_file(&old, path, STAGE_MAX_BYTES);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		e = NULL;
	if (e == NULL)
		e = pipeline_parse(&cur, old.s, old.len, STAGE_FILE, r->root);
	if (e)
		goto done;
	if (pipeline_find(&cur, s->name) && !force) {
		e = err_hint(err_new(CAIRN_ERR_EXISTS, "stage '%s' already exists", s->name),
			     "use --force to replace it");
		goto done;
	}
	if (pipeline_find(&cur, s->name)) {
		/* replacing: write every stage again, this one in its place */
		buf_adds(&text, "stages:\n");
		for (i = 0; i < cur.n && e == NULL; i++)
			e = stage_format(&text, strcmp(cur.v[i].name, s->name) ? &cur.v[i] : s, 2);
	} else {
		e = pipeline_append(&text, old.s, old.len, s);
	}
	if (e)
		goto done;
	if ((e = pipeline_parse(&next, text.s, text.len, STAGE_FILE, r->root)) != NULL)
		goto done;
	if ((e = dag_build(&d, &next)) != NULL)
		goto done;
	dag_release(&d);
	e = fs_atomic_write(path, text.s, text.len, 0644);
done:
	pipeline_release(&cur);
	pipeline_release(&next);
	buf_release(&old);
	buf_release(&text);
	free(path);
	return e;
}
