/*
 * tests/fuzz/params.c: params files (YAML or JSON). The first byte picks the
 * format; the rest is parsed, flattened, looked up by every flattened key
 * and by a fixed one, changed with params_set and written back.
 */
#include "buildconf.h"

#include "core/buf.h"
#include "core/params.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(params)
{
	const char *name;
	json_t *doc = NULL, *flat, *v;
	const char *k;
	struct buf b = BUF_INIT;

	if (size < 1)
		return 0;
	name = data[0] & 1 ? "params.json" : "params.yaml";
	data++, size--;
	if (params_parse(&doc, (const char *)data, size, name) != NULL)
		return 0;
	flat = params_flatten(doc);
	json_object_foreach(flat, k, v)
		(void)params_get(doc, k);
	(void)params_get(doc, "train.max_depth");
	buf_init(&b);
	(void)params_format(&b, doc, name);
	(void)params_set(doc, "train.seed", "42");
	buf_reset(&b);
	(void)params_format(&b, doc, name);
	buf_release(&b);
	json_decref(flat);
	json_decref(doc);
	return 0;
}
