/*
 * params.c: parameter files. YAML goes through yjson (libyaml), JSON through
 * jansson; both end as json_t, so lookups, diffs and lockfile values are the
 * same for either format.
 */
#include "buildconf.h"

#include "core/params.h"

#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/xmalloc.h"
#include "core/yjson.h"

bool params_is_json(const char *name)
{
	size_t n = strlen(name);

	return n >= 5 && strcmp(name + n - 5, ".json") == 0;
}

/*
 * The bytes of the dotted names params_flatten would make below v (whose
 * own name is prefix bytes long), added to *total; false once past
 * PARAMS_MAX_FLAT_BYTES. Each leaf repeats its parents' names, so a long
 * key above many leaves could stand for terabytes of names.
 */
static bool params_flat_ok(const json_t *v, size_t prefix, int depth, size_t *total)
{
	const char *k;
	json_t *child;

	if (!json_is_object(v) || json_object_size(v) == 0 || depth > YJSON_MAX_DEPTH) {
		*total += prefix;
		return *total <= PARAMS_MAX_FLAT_BYTES;
	}
	json_object_foreach((json_t *)v, k, child)
		if (!params_flat_ok(child, prefix + (prefix ? 1 : 0) + strlen(k), depth + 1, total))
			return false;
	return true;
}

const struct cairn_error *params_parse(json_t **out, const char *data, size_t len,
				       const char *name)
{
	const struct cairn_error *e;
	json_error_t je;
	size_t total = 0;

	if (!params_is_json(name)) {
		if ((e = yjson_parse(out, data, len, name)) != NULL)
			return e;
	} else {
		*out = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
		/*
		 * jansson holds numbers in 64-bit integers and doubles; a number
		 * past them (an id, a seed) is valid JSON, and libyaml reads JSON
		 * too, keeping such a number as the text it is, as in YAML files
		 */
		if (*out == NULL && (strstr(je.text, "too big") || strstr(je.text, "overflow")) &&
		    (e = yjson_parse(out, data, len, name)) != NULL)
			return e;
		if (*out == NULL)
			return err_new(CAIRN_ERR_FORMAT, "%s:%d:%d: %s", name, je.line, je.column,
				       je.text);
	}
	if (!params_flat_ok(*out, 0, 0, &total)) {
		json_decref(*out);
		*out = NULL;
		return err_new(CAIRN_ERR_FORMAT, "%s: the dotted names of its values exceed %u MiB",
			       name, PARAMS_MAX_FLAT_BYTES >> 20);
	}
	return NULL;
}

const struct cairn_error *params_load(json_t **out, const char *path, const char *display)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;

	buf_init(&b);
	e = fs_read_file(&b, path, PARAMS_MAX_BYTES);
	if (e == NULL)
		e = params_parse(out, b.s, b.len, display);
	else if (err_is(e, CAIRN_ERR_NOT_FOUND))
		e = err_new(CAIRN_ERR_NOT_FOUND, "params file '%s' does not exist", display);
	buf_release(&b);
	return e;
}

json_t *params_get(const json_t *doc, const char *key)
{
	const json_t *cur = doc;
	const char *p = key;

	while (*p) {
		size_t n = strlen(p), best = 0;
		json_t *bestv = NULL;
		const char *k;
		json_t *v;

		if (!json_is_object(cur))
			return NULL;
		/* the longest key equal to p or to a prefix of p ending before a '.' */
		json_object_foreach((json_t *)cur, k, v) {
			size_t kl = strlen(k);

			if (kl <= n && kl > best && strncmp(p, k, kl) == 0 &&
			    (p[kl] == '\0' || p[kl] == '.')) {
				best = kl;
				bestv = v;
			}
		}
		if (bestv == NULL)
			return NULL;
		cur = bestv;
		p += best;
		if (*p == '.')
			p++;
	}
	return (json_t *)cur;
}

const struct cairn_error *params_set(json_t *doc, const char *key, const char *text)
{
	json_t *cur = doc;
	char *copy = xstrdup(key), *p = copy, *dot;

	if (*key == '\0' || key[strlen(key) - 1] == '.' || key[0] == '.' || strstr(key, "..")) {
		free(copy);
		return err_new(CAIRN_ERR_USAGE, "bad parameter name '%s'", key);
	}
	for (;;) {
		json_t *next;

		if (!json_is_object(cur)) {
			free(copy);
			return err_new(CAIRN_ERR_USAGE, "cannot set '%s': a parent is not a mapping",
				       key);
		}
		/* a key that contains the rest, dots included, wins */
		if (json_object_get(cur, p) != NULL || (dot = strchr(p, '.')) == NULL) {
			json_object_set_new(cur, p, yjson_scalar(text));
			break;
		}
		*dot = '\0';
		next = json_object_get(cur, p);
		if (next == NULL) {
			next = json_object();
			json_object_set_new(cur, p, next);
		}
		cur = next;
		p = dot + 1;
	}
	free(copy);
	return NULL;
}

static void params_flatten_at(json_t *out, const json_t *v, struct buf *prefix, int depth)
{
	const char *k;
	json_t *child;
	size_t keep = prefix->len;

	if (!json_is_object(v) || json_object_size(v) == 0 || depth > YJSON_MAX_DEPTH) {
		if (prefix->len)
			json_object_set(out, prefix->s, (json_t *)v);
		return;
	}
	json_object_foreach((json_t *)v, k, child) {
		if (prefix->len)
			buf_addch(prefix, '.');
		buf_adds(prefix, k);
		params_flatten_at(out, child, prefix, depth + 1);
		prefix->len = keep;
		prefix->s[keep] = '\0';
	}
}

json_t *params_flatten(const json_t *doc)
{
	json_t *out = json_object();
	struct buf prefix = BUF_INIT;

	buf_init(&prefix);
	if (doc)
		params_flatten_at(out, doc, &prefix, 0);
	buf_release(&prefix);
	return out;
}

const struct cairn_error *params_format(struct buf *out, const json_t *doc, const char *name)
{
	char *s;

	if (!params_is_json(name))
		return yjson_dump(out, doc);
	s = json_dumps(doc, JSON_ENCODE_ANY | JSON_INDENT(2));
	if (s == NULL)
		return err_new(CAIRN_ERR_FORMAT, "cannot format '%s'", name);
	buf_adds(out, s);
	buf_addch(out, '\n');
	free(s);
	return NULL;
}
