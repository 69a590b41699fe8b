/*
 * tests/fuzz/pipeline.c: cairn.yaml from a clone. The first byte picks the
 * work tree root (none, or "/repo", which makes absolute paths inside it
 * relative); the rest is parsed, every stage written back with stage_format
 * and the last one appended to the text with pipeline_append.
 */
#include "buildconf.h"

#include "core/buf.h"
#include "core/stage.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(pipeline)
{
	struct pipeline p = PIPELINE_INIT;
	const char *root;
	struct buf b = BUF_INIT;
	size_t i;

	if (size < 1)
		return 0;
	root = data[0] & 1 ? "/repo" : NULL;
	data++, size--;
	if (pipeline_parse(&p, (const char *)data, size, "cairn.yaml", root) != NULL) {
		pipeline_release(&p);
		return 0;
	}
	buf_init(&b);
	for (i = 0; i < p.n; i++) {
		buf_reset(&b);
		(void)stage_format(&b, &p.v[i], 2);
	}
	if (p.n) { /* once: it copies the whole text */
		buf_reset(&b);
		(void)pipeline_append(&b, (const char *)data, size, &p.v[p.n - 1]);
		(void)pipeline_find(&p, p.v[p.n - 1].name);
	}
	buf_release(&b);
	pipeline_release(&p);
	return 0;
}
