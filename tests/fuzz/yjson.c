/*
 * tests/fuzz/yjson.c: YAML params and metrics files as JSON values. Parse;
 * what parses must dump to YAML that parses again to an equal value.
 */
#include "buildconf.h"

#include "core/buf.h"
#include "core/yjson.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(yjson)
{
	json_t *v = NULL, *w = NULL;
	struct buf b = BUF_INIT;

	if (yjson_parse(&v, (const char *)data, size, "params.yaml") != NULL)
		return 0;
	buf_init(&b);
	free(yjson_text(v));
	if (yjson_dump(&b, v) == NULL) {
		if (yjson_parse(&w, b.s, b.len, "params.yaml") != NULL)
			abort(); /* what cairn writes, cairn reads */
		if (!json_equal(v, w))
			abort();
		json_decref(w);
	}
	buf_release(&b);
	json_decref(v);
	return 0;
}
