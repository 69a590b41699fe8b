/*
 * tests/fuzz/ptr.c: pointer files (PATH.cairn, YAML) from a clone. Parse;
 * what parses must be written by ptr_format to text that parses again into
 * the same output, and the conflict-marker scan must hold on any bytes.
 */
#include "buildconf.h"

#include "core/buf.h"
#include "core/ptr.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(ptr)
{
	struct ptr *p = NULL, *q = NULL;
	struct buf b = BUF_INIT;

	(void)ptr_has_conflict((const char *)data, size);
	if (ptr_parse(&p, (const char *)data, size, "x.cairn") != NULL)
		return 0;
	buf_init(&b);
	if (ptr_format(&b, p) != NULL)
		abort(); /* a parsed pointer can always be written */
	if (ptr_parse(&q, b.s, b.len, "x.cairn") != NULL)
		abort(); /* what cairn writes, cairn reads */
	if (strcmp(p->path, q->path) != 0 || p->type != q->type || p->size != q->size ||
	    p->nfiles != q->nfiles || p->exec != q->exec || !oid_equal(&p->id, &q->id))
		abort();
	ptr_free(q);
	ptr_free(p);
	buf_release(&b);
	return 0;
}
