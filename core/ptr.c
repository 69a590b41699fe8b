/*
 * ptr.c: pointer file parsing and writing with libyaml's document loader
 * and event emitter. Every malformed input is a FORMAT error with the file
 * name and line; nothing in a pointer is trusted before validation.
 */
#include "buildconf.h"

#include "core/ptr.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "core/fsutil.h"
#include "core/name.h"
#include "core/xmalloc.h"

#define PTR_MAX_DEPTH 32

struct ptr *ptr_new(const char *path, enum ptr_type type)
{
	struct ptr *p = xcalloc(1, sizeof(*p));

	p->path = xstrdup(path);
	p->type = type;
	return p;
}

void ptr_free(struct ptr *p)
{
	if (p == NULL)
		return;
	if (p->doc) {
		yaml_document_delete(p->doc);
		free(p->doc);
	}
	free(p->path);
	free(p);
}

static const struct cairn_error *ptr_bad(const char *name, const yaml_node_t *n, const char *what)
{
	return err_new(CAIRN_ERR_FORMAT, "malformed pointer '%s' line %lu: %s", name,
		       n ? (unsigned long)n->start_mark.line + 1 : 1UL, what);
}

/* A scalar's text; NULL for other nodes and for a scalar holding a NUL ("a\0b"). */
static const char *ptr_scalar(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE ||
	    strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* A size or count: decimal, at most INT64_MAX (the largest off_t, and JSON's integers). */
static bool ptr_parse_u64(uint64_t *out, const char *s)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || (s[0] == '0' && s[1] != '\0'))
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

/*
 * Unknown keys may hold any YAML; bound its nesting so rewriting cannot
 * recurse deeply, and its size: *budget starts at the number of nodes, so a
 * node reached twice (through an alias) makes it run out, and a small file
 * can never expand into a huge tree ("billion laughs").
 */
static bool ptr_shape_ok(yaml_document_t *doc, yaml_node_t *n, int depth, long *budget)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;

	if (n == NULL || depth > PTR_MAX_DEPTH || --*budget < 0)
		return false;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			if (!ptr_shape_ok(doc, yaml_document_get_node(doc, *it), depth + 1, budget))
				return false;
	} else if (n->type == YAML_MAPPING_NODE) {
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++)
			if (!ptr_shape_ok(doc, yaml_document_get_node(doc, pr->key), depth + 1, budget) ||
			    !ptr_shape_ok(doc, yaml_document_get_node(doc, pr->value), depth + 1, budget))
				return false;
	}
	return true;
}

static const struct cairn_error *ptr_parse_out(struct ptr *p, yaml_document_t *doc,
					       yaml_node_t *m, const char *name)
{
	bool seen_path = false, seen_id = false, seen_type = false, seen_size = false;
	bool seen_nfiles = false, seen_exec = false, seen_hash = false;
	yaml_node_pair_t *pr;
	const char *why;

	if (m->type != YAML_MAPPING_NODE)
		return ptr_bad(name, m, "an entry of 'outs' must be a mapping");
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
		yaml_node_t *vn = yaml_document_get_node(doc, pr->value);
		const char *k = ptr_scalar(kn), *v = ptr_scalar(vn);
		bool *seen = NULL;

		if (k == NULL)
			return ptr_bad(name, kn, "keys must be plain strings");
		if (strcmp(k, "path") == 0) {
			seen = &seen_path;
			if (v == NULL)
				return ptr_bad(name, vn, "'path' must be a string");
			if ((why = name_check(v)) != NULL || strpbrk(v, "\n\r"))
				return ptr_bad(name, vn, why ? why : "'path' contains a line break");
			free(p->path);
			p->path = xstrdup(v);
		} else if (strcmp(k, "hash") == 0) {
			seen = &seen_hash;
			if (v == NULL || strcmp(v, "sha256") != 0)
				return ptr_bad(name, vn, "unsupported 'hash' (only sha256 is known)");
		} else if (strcmp(k, "sha256") == 0) {
			seen = &seen_id;
			if (v == NULL || !oid_fromhex(&p->id, v))
				return ptr_bad(name, vn, "'sha256' must be 64 lowercase hex digits");
		} else if (strcmp(k, "size") == 0) {
			seen = &seen_size;
			if (!ptr_parse_u64(&p->size, v))
				return ptr_bad(name, vn, "'size' must be a non-negative integer");
		} else if (strcmp(k, "nfiles") == 0) {
			seen = &seen_nfiles;
			if (!ptr_parse_u64(&p->nfiles, v))
				return ptr_bad(name, vn, "'nfiles' must be a non-negative integer");
		} else if (strcmp(k, "type") == 0) {
			seen = &seen_type;
			if (v && strcmp(v, "file") == 0)
				p->type = PTR_FILE;
			else if (v && strcmp(v, "dir") == 0)
				p->type = PTR_DIR;
			else
				return ptr_bad(name, vn, "'type' must be 'file' or 'dir'");
		} else if (strcmp(k, "exec") == 0) {
			seen = &seen_exec;
			if (v && strcmp(v, "true") == 0)
				p->exec = true;
			else if (v && strcmp(v, "false") == 0)
				p->exec = false;
			else
				return ptr_bad(name, vn, "'exec' must be true or false");
		}
		if (seen) {
			if (*seen)
				return ptr_bad(name, kn, "duplicate key");
			*seen = true;
		}
	}
	if (!seen_path)
		return ptr_bad(name, m, "missing 'path'");
	if (!seen_id)
		return ptr_bad(name, m, "missing 'sha256'");
	if (!seen_size)
		return ptr_bad(name, m, "missing 'size'");
	if (!seen_type)
		return ptr_bad(name, m, "missing 'type'");
	if (p->type == PTR_DIR && seen_exec)
		return ptr_bad(name, m, "'exec' is only for files");
	if (p->type == PTR_FILE && seen_nfiles)
		return ptr_bad(name, m, "'nfiles' is only for directories");
	return NULL;
}

/* A line that starts with a merge conflict marker. */
bool ptr_has_conflict(const char *data, size_t len)
{
	static const char *const marks[] = { "<<<<<<< ", ">>>>>>> ", "=======\n", "||||||| ", NULL };
	size_t i = 0;
	int k;

	while (i < len) {
		for (k = 0; marks[k]; k++) {
			size_t ml = strlen(marks[k]);

			if (len - i >= ml && memcmp(data + i, marks[k], ml) == 0)
				return true;
		}
		while (i < len && data[i] != '\n')
			i++;
		i++;
	}
	return false;
}

const struct cairn_error *ptr_parse(struct ptr **out, const char *data, size_t len,
				    const char *name)
{
	const struct cairn_error *e = NULL;
	yaml_document_t *doc, extra;
	yaml_parser_t parser;
	yaml_node_t *root, *outs = NULL;
	yaml_node_pair_t *pr;
	struct ptr *p;
	long budget;

	if (len > PTR_MAX_BYTES)
		return err_new(CAIRN_ERR_FORMAT, "malformed pointer '%s': larger than %d bytes", name,
			       PTR_MAX_BYTES);
	if (memchr(data, '\0', len))
		return err_new(CAIRN_ERR_FORMAT, "malformed pointer '%s': contains a NUL byte", name);
	if (ptr_has_conflict(data, len))
		return err_new(CAIRN_ERR_FORMAT, "pointer '%s' contains merge conflict markers", name);
	if (!yaml_parser_initialize(&parser))
		abort();
	doc = xcalloc(1, sizeof(*doc));
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, doc)) {
		e = err_new(CAIRN_ERR_FORMAT, "malformed pointer '%s' line %lu: %s", name,
			    (unsigned long)parser.problem_mark.line + 1,
			    parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		free(doc);
		return e;
	}
	if (yaml_parser_load(&parser, &extra)) {
		bool more = yaml_document_get_root_node(&extra) != NULL;

		yaml_document_delete(&extra);
		if (more)
			e = err_new(CAIRN_ERR_FORMAT, "malformed pointer '%s': more than one document",
				    name);
	}
	yaml_parser_delete(&parser);
	p = ptr_new("", PTR_FILE);
	p->doc = doc;
	if (e)
		goto fail;
	root = yaml_document_get_root_node(doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		e = ptr_bad(name, root, "the top level must be a mapping with 'outs'");
		goto fail;
	}
	budget = (long)(doc->nodes.top - doc->nodes.start);
	if (!ptr_shape_ok(doc, root, 0, &budget)) {
		e = ptr_bad(name, root, "nested too deeply, or uses an alias");
		goto fail;
	}
	for (pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
		const char *k = ptr_scalar(kn);

		if (k == NULL) {
			e = ptr_bad(name, kn, "keys must be plain strings");
			goto fail;
		}
		if (strcmp(k, "outs") == 0) {
			if (outs) {
				e = ptr_bad(name, kn, "duplicate key 'outs'");
				goto fail;
			}
			outs = yaml_document_get_node(doc, pr->value);
		}
	}
	if (outs == NULL) {
		e = ptr_bad(name, root, "missing 'outs'");
		goto fail;
	}
	if (outs->type != YAML_SEQUENCE_NODE ||
	    outs->data.sequence.items.top - outs->data.sequence.items.start != 1) {
		e = ptr_bad(name, outs, "'outs' must be a list of exactly one output");
		goto fail;
	}
	e = ptr_parse_out(p, doc,
			  yaml_document_get_node(doc, *outs->data.sequence.items.start), name);
	if (e)
		goto fail;
	*out = p;
	return NULL;
fail:
	ptr_free(p);
	return e;
}

const struct cairn_error *ptr_read_at(struct ptr **out, int dirfd, const char *file,
				      const char *display)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	int fd;

	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			return err_new(CAIRN_ERR_FORMAT, "pointer '%s' is a symlink", display);
		return err_errno("open pointer '%s'", display);
	}
	buf_init(&b);
	e = fs_read_fd(&b, fd, PTR_MAX_BYTES, display);
	close(fd);
	if (e == NULL)
		e = ptr_parse(out, b.s, b.len, display);
	if (e && err_is(e, CAIRN_ERR_FORMAT) && ptr_has_conflict(b.s, b.len))
		e = err_hint(e, "resolve the conflict first: keep one side with git checkout --ours "
				"(or --theirs) -- '%s' and git add it, or add the data again with "
				"cairn add; then run cairn checkout", display);
	buf_release(&b);
	return e;
}

/* ---- writing ---- */

static int ptr_write_handler(void *data, unsigned char *buffer, size_t size)
{
	buf_add(data, buffer, size);
	return 1;
}

static bool ptr_emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	return yaml_emitter_emit(em, ev) != 0;
}

/* Scalars that a YAML reader would take for a number, bool or null are quoted. */
static yaml_scalar_style_t ptr_style_for(const char *s)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off",
					     "null", "~", "y", "n", NULL };
	const char *p = s;
	int i;

	if (*s == '\0')
		return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	for (i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	if (*p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p >= '0' && *p <= '9')
		return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	if (strncasecmp(p, "inf", 3) == 0 || strncasecmp(p, "nan", 3) == 0)
		return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	return YAML_ANY_SCALAR_STYLE;
}

static bool ptr_emit_scalar(yaml_emitter_t *em, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					  style))
		return false;
	return ptr_emit(em, &ev);
}

static bool ptr_emit_kv(yaml_emitter_t *em, const char *k, const char *v, bool plain)
{
	return ptr_emit_scalar(em, k, YAML_PLAIN_SCALAR_STYLE) &&
	       ptr_emit_scalar(em, v, plain ? YAML_PLAIN_SCALAR_STYLE : ptr_style_for(v));
}

static bool ptr_emit_node(yaml_emitter_t *em, yaml_document_t *doc, yaml_node_t *n)
{
	yaml_event_t ev;
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;

	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (!yaml_scalar_event_initialize(&ev, NULL, NULL, n->data.scalar.value,
						  (int)n->data.scalar.length, 1, 1,
						  n->data.scalar.style))
			return false;
		return ptr_emit(em, &ev);
	case YAML_SEQUENCE_NODE:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  n->data.sequence.style) ||
		    !ptr_emit(em, &ev))
			return false;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			if (!ptr_emit_node(em, doc, yaml_document_get_node(doc, *it)))
				return false;
		return yaml_sequence_end_event_initialize(&ev) && ptr_emit(em, &ev);
	case YAML_MAPPING_NODE:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 n->data.mapping.style) ||
		    !ptr_emit(em, &ev))
			return false;
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++)
			if (!ptr_emit_node(em, doc, yaml_document_get_node(doc, pr->key)) ||
			    !ptr_emit_node(em, doc, yaml_document_get_node(doc, pr->value)))
				return false;
		return yaml_mapping_end_event_initialize(&ev) && ptr_emit(em, &ev);
	default:
		return true;
	}
}

static bool ptr_is_known_out_key(const char *k)
{
	static const char *const known[] = { "path", "hash", "sha256", "size", "nfiles",
					     "type", "exec", NULL };
	int i;

	for (i = 0; known[i]; i++)
		if (strcmp(k, known[i]) == 0)
			return true;
	return false;
}

/* Emit the unknown pairs of a mapping node (skip is a predicate for known keys). */
static bool ptr_emit_unknown(yaml_emitter_t *em, yaml_document_t *doc, yaml_node_t *m,
			     bool (*known)(const char *))
{
	yaml_node_pair_t *pr;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return true;
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
		const char *k = ptr_scalar(kn);

		if (k && known(k))
			continue;
		if (!ptr_emit_node(em, doc, kn) ||
		    !ptr_emit_node(em, doc, yaml_document_get_node(doc, pr->value)))
			return false;
	}
	return true;
}

static bool ptr_is_outs_key(const char *k)
{
	return strcmp(k, "outs") == 0;
}

static yaml_node_t *ptr_doc_out(yaml_document_t *doc, yaml_node_t **root_out)
{
	yaml_node_t *root = doc ? yaml_document_get_root_node(doc) : NULL;
	yaml_node_pair_t *pr;

	*root_out = root;
	if (root == NULL || root->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		const char *k = ptr_scalar(yaml_document_get_node(doc, pr->key));
		yaml_node_t *v = yaml_document_get_node(doc, pr->value);

		if (k && strcmp(k, "outs") == 0 && v->type == YAML_SEQUENCE_NODE &&
		    v->data.sequence.items.top > v->data.sequence.items.start)
			return yaml_document_get_node(doc, *v->data.sequence.items.start);
	}
	return NULL;
}

const struct cairn_error *ptr_format(struct buf *out, const struct ptr *p)
{
	yaml_document_t *doc = p->doc;
	yaml_emitter_t em;
	yaml_event_t ev;
	yaml_node_t *root, *o = ptr_doc_out(doc, &root);
	char hex[CAIRN_OID_HEXLEN + 1], num[32];
	bool ok;

	if (!yaml_emitter_initialize(&em))
		abort();
	yaml_emitter_set_output(&em, ptr_write_handler, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	oid_tohex(hex, &p->id);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && ptr_emit(&em, &ev) &&
	     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && ptr_emit(&em, &ev) &&
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     ptr_emit(&em, &ev) && ptr_emit_scalar(&em, "outs", YAML_PLAIN_SCALAR_STYLE) &&
	     yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) &&
	     ptr_emit(&em, &ev) &&
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     ptr_emit(&em, &ev) && ptr_emit_kv(&em, "path", p->path, false) &&
	     ptr_emit_kv(&em, "hash", "sha256", true) && ptr_emit_kv(&em, "sha256", hex, true);
	snprintf(num, sizeof(num), "%" PRIu64, p->size);
	ok = ok && ptr_emit_kv(&em, "size", num, true);
	if (p->type == PTR_DIR) {
		snprintf(num, sizeof(num), "%" PRIu64, p->nfiles);
		ok = ok && ptr_emit_kv(&em, "nfiles", num, true);
	}
	ok = ok && ptr_emit_kv(&em, "type", p->type == PTR_DIR ? "dir" : "file", true);
	if (p->type == PTR_FILE && p->exec)
		ok = ok && ptr_emit_kv(&em, "exec", "true", true);
	ok = ok && ptr_emit_unknown(&em, doc, o, ptr_is_known_out_key) &&
	     yaml_mapping_end_event_initialize(&ev) && ptr_emit(&em, &ev) &&
	     yaml_sequence_end_event_initialize(&ev) && ptr_emit(&em, &ev) &&
	     ptr_emit_unknown(&em, doc, root, ptr_is_outs_key) &&
	     yaml_mapping_end_event_initialize(&ev) && ptr_emit(&em, &ev) &&
	     yaml_document_end_event_initialize(&ev, 1) && ptr_emit(&em, &ev) &&
	     yaml_stream_end_event_initialize(&ev) && ptr_emit(&em, &ev);
	if (!ok) {
		const struct cairn_error *e = err_new(CAIRN_ERR_FORMAT, "cannot write pointer: %s",
						      em.problem ? em.problem : "emitter error");

		yaml_emitter_delete(&em);
		return e;
	}
	yaml_emitter_delete(&em);
	return NULL;
}
