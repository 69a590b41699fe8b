/*
 * yjson.c: YAML <-> jansson. Parsing walks libyaml's loaded document with a
 * depth limit and a budget of converted nodes (aliases could otherwise
 * expand a small file into billions of values); emitting turns values into
 * libyaml events.
 */
#include "buildconf.h"

#include "core/yjson.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

static bool yjson_match_int(const char *s)
{
	const char *p = s;

	if (*p == '-' || *p == '+')
		p++;
	if (*p == '\0')
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static bool yjson_match_float(const char *s)
{
	const char *p = s;
	bool digits = false;

	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits = true;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits = true;
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

json_t *yjson_scalar(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	int i;

	for (i = 0; nulls[i]; i++)
		if (strcmp(s, nulls[i]) == 0)
			return json_null();
	for (i = 0; trues[i]; i++)
		if (strcmp(s, trues[i]) == 0)
			return json_true();
	for (i = 0; falses[i]; i++)
		if (strcmp(s, falses[i]) == 0)
			return json_false();
	if (yjson_match_int(s)) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer(v);
		return json_string(s); /* too large for an integer: keep the text */
	}
	if ((strncmp(s, "0x", 2) == 0 && s[2]) || (strncmp(s, "0o", 2) == 0 && s[2])) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s + 2, &end, s[1] == 'x' ? 16 : 8);
		if (errno == 0 && *end == '\0')
			return json_integer(v);
	}
	if (yjson_match_float(s)) {
		double d = strtod(s, NULL);

		if (isfinite(d))
			return json_real(d);
	}
	return json_string(s);
}

struct yjson_parse {
	yaml_document_t *doc;
	const char *name;
	size_t nodes;
};

static const struct cairn_error *yjson_bad(const struct yjson_parse *p, const yaml_node_t *n,
					   const char *what)
{
	return err_new(CAIRN_ERR_FORMAT, "%s:%lu:%lu: %s", p->name,
		       n ? (unsigned long)n->start_mark.line + 1 : 1UL,
		       n ? (unsigned long)n->start_mark.column + 1 : 1UL, what);
}

static const struct cairn_error *yjson_conv(json_t **out, struct yjson_parse *p, yaml_node_t *n,
					    int depth)
{
	const struct cairn_error *e;
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	json_t *v, *child;

	*out = NULL;
	if (n == NULL)
		return yjson_bad(p, n, "missing node");
	if (depth > YJSON_MAX_DEPTH)
		return yjson_bad(p, n, "nested too deeply");
	if (++p->nodes > YJSON_MAX_NODES)
		return yjson_bad(p, n, "too many values (aliases expand too far)");
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)n->data.scalar.value;

		if (strlen(s) != n->data.scalar.length)
			return yjson_bad(p, n, "a value contains a NUL byte");
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			*out = yjson_scalar(s);
		else
			*out = json_string(s);
		if (*out == NULL)
			return yjson_bad(p, n, "a value is not valid UTF-8");
		return NULL;
	}
	case YAML_SEQUENCE_NODE:
		v = json_array();
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			if ((e = yjson_conv(&child, p, yaml_document_get_node(p->doc, *it),
					    depth + 1)) != NULL) {
				json_decref(v);
				return e;
			}
			json_array_append_new(v, child);
		}
		*out = v;
		return NULL;
	case YAML_MAPPING_NODE:
		v = json_object();
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);

			if (k == NULL || k->type != YAML_SCALAR_NODE) {
				json_decref(v);
				return yjson_bad(p, k, "mapping keys must be plain values");
			}
			if (json_object_get(v, (const char *)k->data.scalar.value)) {
				json_decref(v);
				return yjson_bad(p, k, "duplicate key");
			}
			if ((e = yjson_conv(&child, p, yaml_document_get_node(p->doc, pr->value),
					    depth + 1)) != NULL) {
				json_decref(v);
				return e;
			}
			if (json_object_set_new(v, (const char *)k->data.scalar.value, child) < 0) {
				json_decref(v);
				return yjson_bad(p, k, "a key is not valid UTF-8");
			}
		}
		*out = v;
		return NULL;
	default:
		return yjson_bad(p, n, "unexpected node");
	}
}

const struct cairn_error *yjson_node(json_t **out, yaml_document_t *doc, yaml_node_t *n,
				     const char *name)
{
	struct yjson_parse p = { doc, name, 0 };

	return yjson_conv(out, &p, n, 0);
}

/*
 * The document as its readers see it, with every alias expanded: at most
 * YJSON_MAX_NODES nodes holding YJSON_MAX_BYTES of scalars (or what the
 * text itself holds, when more: without aliases nothing expands), nested
 * at most twice YJSON_MAX_DEPTH (so an alias inside its own anchor ends
 * too). A few bytes of aliases could otherwise stand for a tree of
 * billions of nodes or terabytes of text ("billion laughs").
 */
struct yjson_size {
	size_t nodes, bytes;
	size_t max_nodes, max_bytes;
};

static const yaml_node_t *yjson_too_big(yaml_document_t *doc, yaml_node_t *n, int depth,
					struct yjson_size *sz)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	const yaml_node_t *bad;

	if (n == NULL)
		return NULL;
	if (depth > 2 * YJSON_MAX_DEPTH || ++sz->nodes > sz->max_nodes)
		return n;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		sz->bytes += n->data.scalar.length;
		return sz->bytes > sz->max_bytes ? n : NULL;
	case YAML_SEQUENCE_NODE:
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			if ((bad = yjson_too_big(doc, yaml_document_get_node(doc, *it), depth + 1,
						 sz)) != NULL)
				return bad;
		return NULL;
	case YAML_MAPPING_NODE:
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++)
			if ((bad = yjson_too_big(doc, yaml_document_get_node(doc, pr->key), depth + 1,
						 sz)) != NULL ||
			    (bad = yjson_too_big(doc, yaml_document_get_node(doc, pr->value),
						 depth + 1, sz)) != NULL)
				return bad;
		return NULL;
	default:
		return NULL;
	}
}

const struct cairn_error *yjson_load(yaml_document_t *doc, const char *data, size_t len,
				     const char *name)
{
	const struct cairn_error *e = NULL;
	struct yjson_size sz = { 0, 0, YJSON_MAX_NODES, YJSON_MAX_BYTES };
	yaml_parser_t parser;
	const yaml_node_t *bad;

	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, doc)) {
		e = err_new(CAIRN_ERR_FORMAT, "%s:%lu:%lu: %s", name,
			    (unsigned long)parser.problem_mark.line + 1,
			    (unsigned long)parser.problem_mark.column + 1,
			    parser.problem ? parser.problem : "malformed YAML");
		yaml_parser_delete(&parser);
		return e;
	}
	yaml_parser_delete(&parser);
	if ((size_t)(doc->nodes.top - doc->nodes.start) > sz.max_nodes)
		sz.max_nodes = (size_t)(doc->nodes.top - doc->nodes.start);
	if (len > sz.max_bytes)
		sz.max_bytes = len;
	bad = yjson_too_big(doc, yaml_document_get_root_node(doc), 0, &sz);
	if (bad) {
		e = err_new(CAIRN_ERR_FORMAT, "%s:%lu:%lu: %s", name,
			    (unsigned long)bad->start_mark.line + 1,
			    (unsigned long)bad->start_mark.column + 1,
			    sz.nodes > sz.max_nodes || sz.bytes > sz.max_bytes
				    ? "too many values (aliases expand too far)"
				    : "nested too deeply");
		yaml_document_delete(doc);
	}
	return e;
}

/* qsort order of pair indices by key text (then index), for yjson_dup_key. */
struct yjson_key {
	const char *s;
	size_t i;
};

static int yjson_key_cmp(const void *a, const void *b)
{
	const struct yjson_key *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

size_t yjson_dup_key(yaml_document_t *doc, const yaml_node_t *m)
{
	size_t n = 0, i, first = SIZE_MAX;
	struct yjson_key *v;
	yaml_node_pair_t *pr;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return SIZE_MAX;
	v = xcalloc((size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start) + 1,
		    sizeof(*v));
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);

		if (k && k->type == YAML_SCALAR_NODE) {
			v[n].s = (const char *)k->data.scalar.value;
			v[n++].i = (size_t)(pr - m->data.mapping.pairs.start);
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), yjson_key_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1].s, v[i].s) == 0 && v[i].i < first)
			first = v[i].i;
	free(v);
	return first;
}

const struct cairn_error *yjson_parse(json_t **out, const char *data, size_t len,
				      const char *name)
{
	const struct cairn_error *e;
	yaml_document_t doc;
	yaml_node_t *root;

	*out = NULL;
	if ((e = yjson_load(&doc, data, len, name)) != NULL)
		return e;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		*out = json_null();
		e = NULL;
	} else {
		e = yjson_node(out, &doc, root, name);
	}
	yaml_document_delete(&doc);
	return e;
}

/* ---- emitting ---- */

static int yjson_write(void *data, unsigned char *buffer, size_t size)
{
	buf_add(data, buffer, size);
	return 1;
}

void yjson_emitter_init(yaml_emitter_t *em, struct buf *out)
{
	if (!yaml_emitter_initialize(em))
		abort();
	yaml_emitter_set_output(em, yjson_write, out);
	yaml_emitter_set_unicode(em, 1);
	yaml_emitter_set_width(em, -1);
	yaml_emitter_set_indent(em, 2);
}

static bool yjson_scalar_ev(yaml_emitter_t *em, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					  style))
		return false;
	return yaml_emitter_emit(em, &ev) != 0;
}

bool yjson_emit_str(yaml_emitter_t *em, const char *s)
{
	json_t *as = yjson_scalar(s);
	bool plain = json_is_string(as) && strcmp(json_string_value(as), s) == 0;

	json_decref(as);
	return yjson_scalar_ev(em, s, plain ? YAML_PLAIN_SCALAR_STYLE
					    : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/* Shortest text of a double that reads back as the same float (with a '.' or 'e'). */
static void yjson_real_text(char out[40], double d)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, 40, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	if (strpbrk(out, ".eE") == NULL)
		strcat(out, ".0");
}

static bool yjson_emit_at(yaml_emitter_t *em, const json_t *v, int depth)
{
	yaml_event_t ev;
	char num[40];

	if (depth > YJSON_MAX_DEPTH)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *val;

		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 json_object_size(v) ? YAML_BLOCK_MAPPING_STYLE
									     : YAML_FLOW_MAPPING_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return false;
		json_object_foreach((json_t *)v, k, val)
			if (!yjson_emit_str(em, k) || !yjson_emit_at(em, val, depth + 1))
				return false;
		return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	}
	case JSON_ARRAY: {
		size_t i;

		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  json_array_size(v) ? YAML_BLOCK_SEQUENCE_STYLE
									     : YAML_FLOW_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return false;
		for (i = 0; i < json_array_size(v); i++)
			if (!yjson_emit_at(em, json_array_get(v, i), depth + 1))
				return false;
		return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	}
	case JSON_STRING:
		return yjson_emit_str(em, json_string_value(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return yjson_scalar_ev(em, num, YAML_PLAIN_SCALAR_STYLE);
	case JSON_REAL:
		yjson_real_text(num, json_real_value(v));
		return yjson_scalar_ev(em, num, YAML_PLAIN_SCALAR_STYLE);
	case JSON_TRUE:
		return yjson_scalar_ev(em, "true", YAML_PLAIN_SCALAR_STYLE);
	case JSON_FALSE:
		return yjson_scalar_ev(em, "false", YAML_PLAIN_SCALAR_STYLE);
	default:
		return yjson_scalar_ev(em, "null", YAML_PLAIN_SCALAR_STYLE);
	}
}

bool yjson_emit(yaml_emitter_t *em, const json_t *v)
{
	return yjson_emit_at(em, v, 0);
}

bool yjson_doc_start(yaml_emitter_t *em)
{
	yaml_event_t ev;

	return yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
	       yaml_emitter_emit(em, &ev) &&
	       yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
	       yaml_emitter_emit(em, &ev);
}

bool yjson_doc_end(yaml_emitter_t *em)
{
	yaml_event_t ev;

	return yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(em, &ev) &&
	       yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

const struct cairn_error *yjson_dump(struct buf *out, const json_t *v)
{
	yaml_emitter_t em;
	bool ok;

	yjson_emitter_init(&em, out);
	ok = yjson_doc_start(&em) && yjson_emit(&em, v) && yjson_doc_end(&em);
	if (!ok) {
		const struct cairn_error *e = err_new(CAIRN_ERR_FORMAT, "cannot write YAML: %s",
						      em.problem ? em.problem : "emitter error");

		yaml_emitter_delete(&em);
		return e;
	}
	yaml_emitter_delete(&em);
	return NULL;
}

char *yjson_text(const json_t *v)
{
	char *s, *r;

	if (v == NULL)
		return xstrdup("-");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_real(v)) {
		char num[40];

		yjson_real_text(num, json_real_value(v));
		return xstrdup(num);
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	r = xstrdup(s ? s : "?");
	free(s);
	return r;
}
