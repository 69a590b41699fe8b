/*
 * tests/unit/name.c: the rules for stored names and symlink targets:
 * UTF-8 validity (overlongs, surrogates, truncation, range), reserved
 * names, and targets that leave the tracked folder.
 */
#include "buildconf.h"

#include <string.h>

#include "core/name.h"
#include "tests/unit/tap.h"

static void test_name__utf8(void)
{
	static const struct {
		const char *s;
		int valid;
		const char *what;
	} v[] = {
		{ "", 1, "empty" },
		{ "plain ascii", 1, "ASCII" },
		{ "\xc3\xa9", 1, "U+00E9 (2 bytes)" },
		{ "e\xcc\x81", 1, "e + U+0301 (NFD)" },
		{ "\xe2\x82\xac", 1, "U+20AC (3 bytes)" },
		{ "\xf0\x9f\x98\x80", 1, "U+1F600 (4 bytes)" },
		{ "\xf4\x8f\xbf\xbf", 1, "U+10FFFF, the last code point" },
		{ "\xef\xbf\xbf", 1, "U+FFFF" },
		{ "\xff", 0, "0xFF" },
		{ "\x80", 0, "a lone continuation byte" },
		{ "\xc3", 0, "a truncated 2-byte sequence" },
		{ "\xe2\x82", 0, "a truncated 3-byte sequence" },
		{ "\xf0\x9f\x98", 0, "a truncated 4-byte sequence" },
		{ "\xc3\x28", 0, "a bad continuation byte" },
		{ "\xc0\xaf", 0, "overlong '/' (2 bytes)" },
		{ "\xc1\xbf", 0, "overlong (C1)" },
		{ "\xe0\x80\xaf", 0, "overlong '/' (3 bytes)" },
		{ "\xe0\x9f\xbf", 0, "overlong U+07FF" },
		{ "\xf0\x80\x80\xaf", 0, "overlong '/' (4 bytes)" },
		{ "\xf0\x8f\xbf\xbf", 0, "overlong U+FFFF" },
		{ "\xed\xa0\x80", 0, "a surrogate U+D800" },
		{ "\xed\xbf\xbf", 0, "a surrogate U+DFFF" },
		{ "\xf4\x90\x80\x80", 0, "U+110000, beyond Unicode" },
		{ "\xf5\x80\x80\x80", 0, "lead byte F5" },
		{ "ok\xc3\xa9ok\xff", 0, "valid then invalid" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ok(name_utf8_valid(v[i].s, strlen(v[i].s)) == (v[i].valid != 0), "%s %s", v[i].what,
		   v[i].valid ? "is valid" : "is refused");
	ok(name_utf8_valid("a\0b", 3), "a NUL is valid UTF-8 (name_check refuses it)");
	ok(!name_utf8_valid("\xc3\xa9", 1), "the length bounds the check");
}

static void test_name__check(void)
{
	static const char *const good[] = { "a", "a.csv", "-T_song.mp3", "--force", "0:0",
					    "a b.txt", "55MiB[1].test", "#Files", "x=y", "100%",
					    "q?.bin", "star*.dat", "plus+sign", "\xc3\xbcn\xc3\xaf",
					    "...", ".hidden", ".gitignore", ".git2", "git", " ",
					    "trail ", "a\\b", NULL };
	static const char *const bad[] = { "", ".", "..", "a/b", "/", "a/", ".git", ".GIT",
					   ".Git", "\xff", "\xc0\xae\xc0\xae", NULL };
	int i;

	for (i = 0; good[i]; i++)
		ok(name_check(good[i]) == NULL, "'%s' is a valid name", good[i]);
	for (i = 0; bad[i]; i++)
		ok(name_check(bad[i]) != NULL, "'%s' is refused (%s)", bad[i],
		   name_check(bad[i]) ? name_check(bad[i]) : "accepted");
}

static void test_name__link_targets(void)
{
	static const struct {
		const char *target;
		int depth;
		int ok;
		const char *what;
	} v[] = {
		{ "a.csv", 0, 1, "a sibling" },
		{ "./libx.so.1", 0, 1, "./sibling (C01)" },
		{ "sub/deeper/x", 0, 1, "down into sub-folders" },
		{ "../a", 1, 1, "up one from depth 1" },
		{ "../../a", 2, 1, "up two from depth 2" },
		{ "sub/../a", 0, 1, "down then up" },
		{ "./././a", 0, 1, "dots" },
		{ "a//b", 0, 1, "a double slash" },
		{ ".", 0, 1, "the folder itself" },
		{ "..", 0, 0, "'..' from the top" },
		{ "../a", 0, 0, "up from the top" },
		{ "../../a", 1, 0, "up two from depth 1" },
		{ "sub/../../a", 0, 0, "down one, up two" },
		{ "a/../..", 0, 0, "ends above" },
		{ "/etc/passwd", 0, 0, "an absolute target" },
		{ "/", 3, 0, "the root" },
		{ "", 0, 0, "empty" },
		{ ".git/config", 0, 0, "into .git" },
		{ "sub/.GIT/hooks", 0, 0, "into .GIT" },
		{ "\xff", 0, 0, "not UTF-8" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *why = name_check_link_target(v[i].target, v[i].depth);

		ok((why == NULL) == (v[i].ok != 0), "%s: '%s' at depth %d %s", v[i].what, v[i].target,
		   v[i].depth, why ? why : "is accepted");
	}
}

int main(void)
{
	TAP_RUN(test_name__utf8);
	TAP_RUN(test_name__check);
	TAP_RUN(test_name__link_targets);
	return tap_done();
}
