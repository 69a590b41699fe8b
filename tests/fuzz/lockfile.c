/*
 * tests/fuzz/lockfile.c: cairn.lock (YAML) from a clone. Parse; what parses
 * must format to text that parses again and formats to the same bytes.
 */
#include "buildconf.h"

#include "core/buf.h"
#include "core/lockfile.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(lockfile)
{
	struct lockfile lk, lk2;
	struct buf a = BUF_INIT, b = BUF_INIT;

	memset(&lk, 0, sizeof(lk));
	memset(&lk2, 0, sizeof(lk2));
	if (lockfile_parse(&lk, (const char *)data, size, "cairn.lock") != NULL) {
		lockfile_release(&lk);
		return 0;
	}
	buf_init(&a);
	buf_init(&b);
	if (lockfile_format(&a, &lk) != NULL)
		abort(); /* a parsed lockfile can always be written */
	if (lockfile_parse(&lk2, a.s, a.len, "cairn.lock") != NULL)
		abort(); /* what cairn writes, cairn reads */
	if (lockfile_format(&b, &lk2) != NULL || a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
		abort();
	lockfile_release(&lk2);
	lockfile_release(&lk);
	buf_release(&b);
	buf_release(&a);
	return 0;
}
