/*
 * valdiff.c: params and metrics values across revisions.
 */
#include "buildconf.h"

#include "core/valdiff.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/params.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/stage.h"
#include "core/xmalloc.h"

/* Read path at rev (NULL: workspace) into b; *found false when absent. */
static const struct cairn_error *valdiff_read(struct buf *b, bool *found, struct repo *r,
					      const char *rev, const char *path, size_t max)
{
	const struct cairn_error *e;
	char *full;

	if (rev)
		return rev_read_file(b, found, r, rev, path, max);
	full = fs_join(r->root, path);
	e = fs_read_file(b, full, max);
	free(full);
	*found = e == NULL;
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		e = NULL;
	return e;
}

static void valdiff_add_file(json_t *files, const char *path)
{
	json_object_set_new(files, path, json_true());
}

const struct cairn_error *valdiff_load(json_t **out, struct repo *r, const char *rev,
				       enum valdiff_kind kind)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	struct pipeline p;
	json_t *files = json_object(), *v;
	const char *f;
	bool found;
	size_t i, j;
	char *name;

	*out = json_object();
	memset(&p, 0, sizeof(p));
	buf_init(&b);
	if ((e = valdiff_read(&b, &found, r, rev, STAGE_FILE, STAGE_MAX_BYTES)) != NULL)
		goto done;
	if (found) {
		name = rev ? xasprintf("%s (at %s)", STAGE_FILE, rev) : xstrdup(STAGE_FILE);
		e = pipeline_parse(&p, b.s, b.len, name, r->root);
		free(name);
		if (e)
			goto done;
	}
	if (kind == VALDIFF_PARAMS)
		valdiff_add_file(files, PARAMS_DEFAULT_FILE);
	for (i = 0; i < p.n; i++) {
		if (kind == VALDIFF_PARAMS)
			for (j = 0; j < p.v[i].nparams; j++)
				valdiff_add_file(files, p.v[i].params[j].file);
		else
			for (j = 0; j < p.v[i].nmetrics; j++)
				valdiff_add_file(files, p.v[i].metrics[j].rel);
	}
	json_object_foreach(files, f, v) {
		json_t *doc = NULL;

		buf_reset(&b);
		if ((e = valdiff_read(&b, &found, r, rev, f, PARAMS_MAX_BYTES)) != NULL)
			break;
		if (!found)
			continue;
		name = rev ? xasprintf("%s (at %s)", f, rev) : xstrdup(f);
		e = params_parse(&doc, b.s, b.len, name);
		free(name);
		if (e)
			break;
		json_object_set_new(*out, f, params_flatten(doc));
		json_decref(doc);
	}
done:
	json_decref(files);
	pipeline_release(&p);
	buf_release(&b);
	if (e) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}

static int valdiff_cmp(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "file")),
		       json_string_value(json_object_get(y, "file")));

	return c ? c
		 : strcmp(json_string_value(json_object_get(x, "key")),
			  json_string_value(json_object_get(y, "key")));
}

static void valdiff_row(json_t *rows, const char *file, const char *key, json_t *old,
			json_t *now)
{
	json_t *row = json_object();

	json_object_set_new(row, "file", json_string(file));
	json_object_set_new(row, "key", json_string(key));
	if (old)
		json_object_set(row, "old", old);
	if (now)
		json_object_set(row, "new", now);
	json_array_append_new(rows, row);
}

const struct cairn_error *valdiff_load_pair(json_t **va, json_t **vb, struct repo *r,
					    const char *a, const char *b,
					    enum valdiff_kind kind)
{
	const struct cairn_error *e;

	*vb = NULL;
	if (a == NULL && git_repository_head_unborn(r->git) == 1)
		*va = json_object(); /* no commit yet: every value is new */
	else if ((e = valdiff_load(va, r, a ? a : "HEAD", kind)) != NULL)
		return e;
	if ((e = valdiff_load(vb, r, b, kind)) != NULL) {
		json_decref(*va);
		*va = NULL;
	}
	return e;
}

json_t *valdiff_diff(const json_t *a, const json_t *b, bool all)
{
	json_t *rows = json_array(), *sorted = json_array(), *vals, *v;
	const char *file, *key;
	json_t **tmp;
	size_t i, n;

	json_object_foreach((json_t *)a, file, vals) {
		json_t *bv = json_object_get(b, file);

		json_object_foreach(vals, key, v) {
			json_t *nv = bv ? json_object_get(bv, key) : NULL;

			if (all || nv == NULL || !json_equal(v, nv))
				valdiff_row(rows, file, key, v, nv);
		}
	}
	json_object_foreach((json_t *)b, file, vals) {
		json_t *av = json_object_get(a, file);

		json_object_foreach(vals, key, v)
			if (av == NULL || json_object_get(av, key) == NULL)
				valdiff_row(rows, file, key, NULL, v);
	}
	n = json_array_size(rows);
	tmp = xcalloc(n ? n : 1, sizeof(*tmp));
	for (i = 0; i < n; i++)
		tmp[i] = json_array_get(rows, i);
	if (n)
		qsort(tmp, n, sizeof(*tmp), valdiff_cmp);
	for (i = 0; i < n; i++)
		json_array_append(sorted, tmp[i]);
	free(tmp);
	json_decref(rows);
	return sorted;
}
