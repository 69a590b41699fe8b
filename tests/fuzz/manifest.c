/*
 * tests/fuzz/manifest.c: folder manifests (canonical JSON) from a clone or a
 * remote. Parse; what parses must format to bytes that parse again and
 * format to the same bytes (the canonical form is a fixed point).
 */
#include "buildconf.h"

#include "core/buf.h"
#include "core/manifest.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(manifest)
{
	struct manifest m = MANIFEST_INIT, m2 = MANIFEST_INIT;
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t i;

	if (manifest_parse(&m, (const char *)data, size, "x") != NULL)
		return 0;
	buf_init(&a);
	buf_init(&b);
	manifest_format(&a, &m);
	if (manifest_parse(&m2, a.s, a.len, "x") != NULL)
		abort(); /* what cairn writes, cairn reads */
	manifest_format(&b, &m2);
	if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
		abort();
	for (i = 0; i < m.n; i++)
		if (manifest_find(&m, m.entries[i].name) != &m.entries[i])
			abort();
	manifest_release(&m2);
	manifest_release(&m);
	buf_release(&b);
	buf_release(&a);
	return 0;
}
