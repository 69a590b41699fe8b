/*
 * manifest.c: canonical JSON manifests through jansson. The writer adds
 * keys in sorted order and dumps them in that order (JSON_PRESERVE_ORDER,
 * JSON_COMPACT) for canonical bytes; the reader checks the
 * version, the order and uniqueness of names, each name and symlink target,
 * and refuses unknown fields.
 */
#include "buildconf.h"

#include "core/manifest.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/name.h"
#include "core/xmalloc.h"

void manifest_init(struct manifest *m)
{
	m->entries = NULL;
	m->n = m->cap = 0;
}

void manifest_release(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->entries[i].name);
		free(m->entries[i].target);
	}
	free(m->entries);
	manifest_init(m);
}

struct manifest_entry *manifest_add(struct manifest *m, const char *name,
				    enum manifest_type type)
{
	struct manifest_entry *e;

	XGROW(m->entries, m->n + 1, m->cap);
	e = &m->entries[m->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->type = type;
	return e;
}

static int manifest_cmp(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->name,
		      ((const struct manifest_entry *)b)->name);
}

const struct cairn_error *manifest_sort(struct manifest *m)
{
	size_t i;

	if (m->n > 1)
		qsort(m->entries, m->n, sizeof(*m->entries), manifest_cmp);
	for (i = 1; i < m->n; i++)
		if (strcmp(m->entries[i - 1].name, m->entries[i].name) == 0)
			return err_new(CAIRN_ERR_EXISTS, "duplicate name '%s'", m->entries[i].name);
	return NULL;
}

static const char *manifest_type_name(enum manifest_type t)
{
	return t == MANIFEST_DIR ? "dir" : t == MANIFEST_SYMLINK ? "symlink" : "file";
}

static int manifest_dump_cb(const char *buffer, size_t size, void *data)
{
	buf_add(data, buffer, size);
	return 0;
}

void manifest_format(struct buf *out, const struct manifest *m)
{
	json_t *root = json_object(), *arr = json_array();
	char hex[CAIRN_OID_HEXLEN + 1];
	size_t i;

	if (root == NULL || arr == NULL)
		abort();
	for (i = 0; i < m->n; i++) {
		const struct manifest_entry *e = &m->entries[i];
		json_t *o = json_object();

		if (o == NULL)
			abort();
		/*
		 * Keys go in in sorted order and are dumped in that order: the
		 * canonical bytes without sorting each object again. Names were
		 * validated as UTF-8 (name_check), ids and types are ASCII.
		 */
		if (e->type == MANIFEST_FILE && e->exec)
			json_object_set_new(o, "exec", json_true());
		json_object_set_new(o, "name", json_string_nocheck(e->name));
		if (e->type == MANIFEST_DIR)
			json_object_set_new(o, "nfiles", json_integer((json_int_t)e->nfiles));
		if (e->type != MANIFEST_SYMLINK) {
			oid_tohex(hex, &e->id);
			json_object_set_new(o, "sha256", json_string_nocheck(hex));
			json_object_set_new(o, "size", json_integer((json_int_t)e->size));
		} else {
			json_object_set_new(o, "target", json_string(e->target));
		}
		json_object_set_new(o, "type", json_string_nocheck(manifest_type_name(e->type)));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "entries", arr);
	json_object_set_new(root, "version", json_integer(1));
	if (json_dump_callback(root, manifest_dump_cb, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
		abort();
	json_decref(root);
}

static const struct cairn_error *manifest_bad(const char *what, size_t i, const char *why)
{
	return err_new(CAIRN_ERR_FORMAT, "malformed manifest %s, entry %zu: %s", what, i + 1, why);
}

static bool manifest_get_u64(uint64_t *out, json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static const struct cairn_error *manifest_parse_entry(struct manifest *m, json_t *o,
						      const char *what, size_t i)
{
	json_t *name = json_object_get(o, "name"), *type = json_object_get(o, "type");
	struct manifest_entry *e;
	const char *tn, *why;
	size_t known = 2;

	if (!json_is_object(o))
		return manifest_bad(what, i, "not an object");
	if (!json_is_string(name))
		return manifest_bad(what, i, "missing 'name'");
	if ((why = name_check(json_string_value(name))) != NULL ||
	    strlen(json_string_value(name)) != json_string_length(name))
		return manifest_bad(what, i, why ? why : "name contains NUL");
	if (!json_is_string(type))
		return manifest_bad(what, i, "missing 'type'");
	tn = json_string_value(type);
	if (strcmp(tn, "file") == 0)
		e = manifest_add(m, json_string_value(name), MANIFEST_FILE);
	else if (strcmp(tn, "dir") == 0)
		e = manifest_add(m, json_string_value(name), MANIFEST_DIR);
	else if (strcmp(tn, "symlink") == 0)
		e = manifest_add(m, json_string_value(name), MANIFEST_SYMLINK);
	else
		return manifest_bad(what, i, "unknown 'type'");
	if (e->type == MANIFEST_SYMLINK) {
		json_t *t = json_object_get(o, "target");

		if (!json_is_string(t) || strlen(json_string_value(t)) != json_string_length(t))
			return manifest_bad(what, i, "symlink without a valid 'target'");
		e->target = xstrdup(json_string_value(t));
		known++;
	} else {
		json_t *h = json_object_get(o, "sha256");

		if (!json_is_string(h) || !oid_fromhex(&e->id, json_string_value(h)))
			return manifest_bad(what, i, "'sha256' must be 64 lowercase hex digits");
		if (!manifest_get_u64(&e->size, json_object_get(o, "size")))
			return manifest_bad(what, i, "'size' must be a non-negative integer");
		known += 2;
	}
	if (e->type == MANIFEST_DIR) {
		if (!manifest_get_u64(&e->nfiles, json_object_get(o, "nfiles")))
			return manifest_bad(what, i, "'nfiles' must be a non-negative integer");
		known++;
	}
	if (e->type == MANIFEST_FILE && json_object_get(o, "exec")) {
		if (!json_is_boolean(json_object_get(o, "exec")))
			return manifest_bad(what, i, "'exec' must be true or false");
		e->exec = json_is_true(json_object_get(o, "exec"));
		known++;
	}
	if (json_object_size(o) != known)
		return manifest_bad(what, i, "unknown field");
	if (i > 0 && strcmp(m->entries[m->n - 2].name, e->name) >= 0)
		return manifest_bad(what, i, "names are not sorted and unique");
	return NULL;
}

const struct cairn_error *manifest_parse(struct manifest *m, const char *data, size_t len,
					 const char *what)
{
	const struct cairn_error *e = NULL;
	json_error_t jerr;
	json_t *root, *entries, *version;
	size_t i;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return err_new(CAIRN_ERR_FORMAT, "malformed manifest %s line %d column %d: %s", what,
			       jerr.line, jerr.column, jerr.text);
	version = json_object_get(root, "version");
	entries = json_object_get(root, "entries");
	if (!json_is_object(root) || json_object_size(root) != 2 || !json_is_array(entries)) {
		e = err_new(CAIRN_ERR_FORMAT, "malformed manifest %s: expected 'entries' and 'version'",
			    what);
		goto done;
	}
	if (!json_is_integer(version) || json_integer_value(version) != 1) {
		e = err_new(CAIRN_ERR_FORMAT, "manifest %s has an unsupported version", what);
		goto done;
	}
	for (i = 0; i < json_array_size(entries); i++)
		if ((e = manifest_parse_entry(m, json_array_get(entries, i), what, i)) != NULL)
			break;
done:
	json_decref(root);
	if (e)
		manifest_release(m);
	return e;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *name)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, m->entries[mid].name);

		if (c == 0)
			return &m->entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
