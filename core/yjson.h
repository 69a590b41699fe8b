/*
 * yjson.h: YAML documents as jansson values, both ways: parse YAML (libyaml's
 * document loader) into json_t with plain scalars resolved as YAML 1.2's
 * core schema does (null, bool, int, float, else string), and emit a json_t
 * as block-style YAML through libyaml's emitter, quoting strings only when a
 * plain scalar would read back as something else. Used by params files,
 * cairn.lock and metrics. Thread-safe.
 */
#ifndef CAIRN_CORE_YJSON_H
#define CAIRN_CORE_YJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <yaml.h>

#include "core/buf.h"
#include "core/error.h"

/* Nesting limit for parsed and emitted values. */
#define YJSON_MAX_DEPTH 64
/* A loaded document, aliases expanded: nodes and scalar bytes at most. */
#define YJSON_MAX_NODES 1000000
#define YJSON_MAX_BYTES (64u << 20)

/*
 * Parse the first YAML document of data (empty text is null). FORMAT errors
 * name the file as "name:LINE:COLUMN: problem". Caller frees *out with json_decref.
 */
const struct cairn_error *yjson_parse(json_t **out, const char *data, size_t len,
				      const char *name);

/*
 * Load the first YAML document of data into *doc (libyaml's loader; an
 * empty text has no root node). FORMAT errors read "name:LINE:COLUMN:
 * problem", also for a document whose aliases expand it past
 * YJSON_MAX_NODES nodes or YJSON_MAX_BYTES of scalars (or its own nodes and
 * length, when more) or nest past twice YJSON_MAX_DEPTH. On success the
 * caller frees doc with yaml_document_delete.
 */
const struct cairn_error *yjson_load(yaml_document_t *doc, const char *data, size_t len,
				     const char *name);

/*
 * The index of the first pair of mapping m whose (scalar) key an earlier
 * pair has too, or SIZE_MAX; O(n log n), where a scan per key would be
 * quadratic in a hostile file's keys.
 */
size_t yjson_dup_key(yaml_document_t *doc, const yaml_node_t *m);

/* Convert one node of a loaded document; same rules and error text as yjson_parse. */
const struct cairn_error *yjson_node(json_t **out, yaml_document_t *doc, yaml_node_t *n,
				     const char *name);

/* The value a plain (unquoted) scalar stands for. New reference. */
json_t *yjson_scalar(const char *s);

/* Emit v (any json_t) as YAML events; false on an emitter error. */
bool yjson_emit(yaml_emitter_t *em, const json_t *v);
/* Emit one string scalar, plain when it reads back as the same string. */
bool yjson_emit_str(yaml_emitter_t *em, const char *s);

/* Start/stop an emitter writing into out (block style, width unlimited). */
void yjson_emitter_init(yaml_emitter_t *em, struct buf *out);
/* Emit stream and document start or end events. */
bool yjson_doc_start(yaml_emitter_t *em);
bool yjson_doc_end(yaml_emitter_t *em);

/* A whole value as a YAML document appended to out. */
const struct cairn_error *yjson_dump(struct buf *out, const json_t *v);

/* Short text of a value for tables: strings bare, others as compact JSON. Caller frees. */
char *yjson_text(const json_t *v);

#endif
