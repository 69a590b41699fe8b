/*
 * params.h: parameter files (params.yaml by default, or any YAML or JSON
 * file: JSON when the name ends in .json) as jansson values, looked up and
 * changed by dotted keys ("train.max_depth"), flattened for diffs, and
 * written back. DESIGN 9; cairn.yaml(5). Thread-safe.
 */
#ifndef CAIRN_CORE_PARAMS_H
#define CAIRN_CORE_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"

#define PARAMS_DEFAULT_FILE "params.yaml"
#define PARAMS_MAX_BYTES (16u << 20)
/* The dotted names of all values (params_flatten) at most, in bytes. */
#define PARAMS_MAX_FLAT_BYTES (64u << 20)

/* True when name is read as JSON (ends in .json), else YAML. */
bool params_is_json(const char *name);

/*
 * Parse a params file's text; name picks the format and names the file in
 * FORMAT errors (with line and column). A file whose flattened names would
 * exceed PARAMS_MAX_FLAT_BYTES is a FORMAT error. Caller frees *out.
 */
const struct cairn_error *params_parse(json_t **out, const char *data, size_t len,
				       const char *name);

/* Read and parse the file at path (display names it in errors). NOT_FOUND when absent. */
const struct cairn_error *params_load(json_t **out, const char *path, const char *display);

/*
 * The value of a dotted key, borrowed from doc, or NULL. At each level the
 * longest key matching a prefix wins, so keys that contain dots still work.
 */
json_t *params_get(const json_t *doc, const char *key);

/*
 * Set a dotted key to a value given as text (read as a YAML plain scalar:
 * 4 is an integer, 0.5 a float, true a boolean, else a string), creating
 * mappings on the way. USAGE when a key on the way is not a mapping.
 */
const struct cairn_error *params_set(json_t *doc, const char *key, const char *text);

/* Every leaf of doc as an object of dotted key -> value (new reference). */
json_t *params_flatten(const json_t *doc);

/* Format doc in the file's format (JSON: indented; YAML: block style). */
const struct cairn_error *params_format(struct buf *out, const json_t *doc, const char *name);

#endif
