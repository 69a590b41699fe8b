/*
 * valdiff.h: the values of a pipeline's params files or metrics files, at a
 * Git revision (read with rev.h, never by checking out) or in the workspace,
 * flattened by dotted key, and their differences. The files are those
 * cairn.yaml names at that revision (params files of every stage, plus
 * params.yaml when it exists; metrics files of every stage). Used by params
 * diff, metrics show and diff, and exp show. Not thread-safe.
 */
#ifndef CAIRN_CORE_VALDIFF_H
#define CAIRN_CORE_VALDIFF_H

#include <stdbool.h>

#include <jansson.h>

#include "core/error.h"

struct repo;

enum valdiff_kind { VALDIFF_PARAMS, VALDIFF_METRICS };

/*
 * {file: {dotted key: value}} for rev (NULL: the workspace). A file that is
 * missing is left out; a malformed one is a FORMAT error naming it.
 * Caller frees *out.
 */
const struct cairn_error *valdiff_load(json_t **out, struct repo *r, const char *rev,
				       enum valdiff_kind kind);

/*
 * Both sides of a diff: a (NULL: HEAD, which before the first commit holds
 * nothing) and b (NULL: the workspace). Caller frees both; both NULL on error.
 */
const struct cairn_error *valdiff_load_pair(json_t **va, json_t **vb, struct repo *r,
					    const char *a, const char *b,
					    enum valdiff_kind kind);

/*
 * Rows [{file, key, old, new}] (old or new absent when the key is on one side
 * only) for the keys whose values differ, or every key with all. Sorted by
 * file and key. New reference.
 */
json_t *valdiff_diff(const json_t *a, const json_t *b, bool all);

#endif
