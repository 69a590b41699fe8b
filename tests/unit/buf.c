/*
 * tests/unit/buf.c: the growable buffer: always NUL-terminated, binary
 * safe, formatted appends, reset and detach.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "tests/unit/tap.h"

static void test_buf__basics(void)
{
	struct buf b = BUF_INIT;
	char *s;
	int i;

	buf_init(&b);
	ok(b.s != NULL && b.s[0] == '\0' && b.len == 0, "an initialised buffer is an empty string");
	buf_adds(&b, "abc");
	buf_addch(&b, '-');
	buf_add(&b, "xyz", 2);
	is_str(b.s, "abc-xy", "adds, addch and add append");
	is_int(b.len, 6, "len counts the bytes");
	buf_add(&b, NULL, 0);
	is_int(b.len, 6, "adding nothing changes nothing");
	buf_addf(&b, "%d:%s", 42, "z");
	is_str(b.s, "abc-xy42:z", "addf formats");
	buf_reset(&b);
	ok(b.len == 0 && b.s[0] == '\0', "reset empties it");
	for (i = 0; i < 10000; i++)
		buf_addch(&b, (char)('a' + i % 26));
	ok(b.len == 10000 && b.s[10000] == '\0' && b.s[9999] == 'a' + 9999 % 26,
	   "it grows and stays NUL-terminated");
	s = buf_detach(&b);
	ok(s && strlen(s) == 10000, "detach hands over the string");
	ok(b.len == 0 && b.s[0] == '\0', "and leaves an empty buffer");
	free(s);
	buf_release(&b);
}

static void test_buf__binary_and_empty(void)
{
	struct buf b = BUF_INIT;
	char *s;

	buf_add(&b, "", 0);
	ok(b.s != NULL && b.len == 0, "adding nothing to BUF_INIT gives a valid empty string");
	buf_add(&b, "a\0b", 3);
	ok(b.len == 3 && memcmp(b.s, "a\0b", 4) == 0, "NUL bytes are kept");
	buf_release(&b);
	ok(b.len == 0 && b.s != NULL, "release leaves an empty buffer");
	s = buf_detach(&b);
	ok(s && *s == '\0', "detaching an empty buffer gives a new empty string");
	free(s);
	buf_init(&b);
	buf_addf(&b, "%s", "");
	ok(b.len == 0 && b.s[0] == '\0', "an empty format adds nothing");
	buf_release(&b);
}

int main(void)
{
	TAP_RUN(test_buf__basics);
	TAP_RUN(test_buf__binary_and_empty);
	return tap_done();
}
