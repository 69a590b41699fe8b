/*
 * tests/unit/ptr.c: pointer files (cairn-pointer(5)): the writer's exact
 * bytes and key order, parse/write round trips, unknown keys kept, quoting
 * of scalars YAML would misread, and every malformed pointer refused with
 * a FORMAT error naming the file and line.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/oid.h"
#include "core/ptr.h"
#include "tests/unit/tap.h"

#define HEX_A "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

static const char file_ptr[] = "outs:\n"
			       "- path: a.csv\n"
			       "  hash: sha256\n"
			       "  sha256: " HEX_A "\n"
			       "  size: 3\n"
			       "  type: file\n";

static const char dir_ptr[] = "outs:\n"
			      "- path: images\n"
			      "  hash: sha256\n"
			      "  sha256: " HEX_A "\n"
			      "  size: 20480000\n"
			      "  nfiles: 200\n"
			      "  type: dir\n";

/* Parse text; NULL pointer and the error through *err when it fails. */
static struct ptr *parse(const char *text, const struct cairn_error **err)
{
	struct ptr *p = NULL;

	*err = ptr_parse(&p, text, strlen(text), "x.cairn");
	return p;
}

/* Format p into a new string (caller frees). */
static char *format(const struct ptr *p)
{
	struct buf b = BUF_INIT;

	buf_init(&b);
	if (ptr_format(&b, p) != NULL) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void test_ptr__write_exact_bytes(void)
{
	struct ptr *p = ptr_new("a.csv", PTR_FILE), *d = ptr_new("images", PTR_DIR);
	char *s;

	oid_fromhex(&p->id, HEX_A);
	p->size = 3;
	s = format(p);
	is_str(s, file_ptr, "a file pointer, keys in the documented order");
	free(s);
	p->exec = true;
	s = format(p);
	ok(s && strstr(s, "  type: file\n  exec: true\n") != NULL, "exec: true follows type");
	free(s);
	oid_fromhex(&d->id, HEX_A);
	d->size = 20480000;
	d->nfiles = 200;
	s = format(d);
	is_str(s, dir_ptr, "a folder pointer with nfiles before type");
	free(s);
	ptr_free(p);
	ptr_free(d);
}

static void test_ptr__round_trip(void)
{
	const struct cairn_error *e;
	struct ptr *p = parse(dir_ptr, &e);
	char *s;

	ok_noerr(e, "parse a folder pointer");
	if (p == NULL)
		return;
	is_str(p->path, "images", "path");
	is_int(p->type, PTR_DIR, "type");
	is_int(p->size, 20480000, "size");
	is_int(p->nfiles, 200, "nfiles");
	is_str(oid_hex(&p->id), HEX_A, "sha256");
	s = format(p);
	is_str(s, dir_ptr, "written back byte for byte");
	free(s);
	ptr_free(p);

	p = parse("outs:\n- {type: file, size: 7, sha256: " HEX_A ", path: f, exec: true}\n", &e);
	ok_noerr(e, "any key order and flow style are read");
	if (p) {
		ok(p->exec && p->size == 7, "exec and size read");
		s = format(p);
		ok(s && strncmp(s, "outs:\n- path: f\n  hash: sha256\n", 30) == 0,
		   "rewritten in block style and the fixed order");
		free(s);
		ptr_free(p);
	}
	p = parse("outs:\n- path: f\n  sha256: " HEX_A "\n  size: 0\n  type: file\n  exec: false\n", &e);
	ok(e == NULL && p && !p->exec && p->size == 0, "hash is optional, exec: false, size 0");
	ptr_free(p);
	p = parse("outs:\n- path: d\n  sha256: " HEX_A "\n  size: 1\n  type: dir\n", &e);
	ok(e == NULL && p && p->nfiles == 0, "nfiles is optional for a folder");
	ptr_free(p);
	p = parse("outs:\n- path: f\n  sha256: " HEX_A "\n  size: 9223372036854775807\n  type: file\n", &e);
	ok(e == NULL && p && p->size == (uint64_t)INT64_MAX, "the largest size, 2^63-1");
	ptr_free(p);
	p = parse("outs:\n- path: f\n  sha256: " HEX_A "\n  size: 9223372036854775808\n  type: file\n", &e);
	ok(p == NULL && err_is(e, CAIRN_ERR_FORMAT), "2^63 is too large (JSON prints signed 64-bit)");
	ptr_free(p);
}

static void test_ptr__unknown_keys_kept(void)
{
	static const char text[] = "meta:\n  owner: ana\n  tags: [x, y]\n"
				   "outs:\n"
				   "- desc: the raw images\n"
				   "  path: images\n"
				   "  sha256: " HEX_A "\n"
				   "  size: 5\n"
				   "  nfiles: 2\n"
				   "  type: dir\n"
				   "  extra: {a: 1, b: [1, 2]}\n"
				   "zz: last\n";
	const struct cairn_error *e;
	struct ptr *p = parse(text, &e), *q;
	char *s, *s2;

	ok_noerr(e, "parse a pointer with unknown keys");
	if (p == NULL)
		return;
	p->size = 6; /* what add does: change a known key, keep the rest */
	s = format(p);
	ok(s != NULL, "format it");
	if (s == NULL) {
		ptr_free(p);
		return;
	}
	ok(strstr(s, "  type: dir\n  desc: the raw images\n") != NULL,
	   "an unknown output key follows the known ones");
	ok(strstr(s, "  extra: {a: 1, b: [1, 2]}\n") != NULL, "nested values are kept, in their style");
	ok(strstr(s, "meta:") && strstr(s, "owner: ana") && strstr(s, "zz: last"),
	   "unknown top-level keys are kept");
	ok(strstr(s, "outs:") < strstr(s, "meta:"), "outs comes first");
	ok(strstr(s, "size: 6\n") != NULL, "the changed known key is written");
	e = ptr_parse(&q, s, strlen(s), "x.cairn");
	ok_noerr(e, "the rewritten pointer parses");
	if (e == NULL) {
		s2 = format(q);
		is_str(s2, s, "and rewrites to the same bytes");
		free(s2);
		ptr_free(q);
	}
	free(s);
	ptr_free(p);
}

static void test_ptr__quoting(void)
{
	static const char *const names[] = { "123", "yes", "No", "null", "~", "true", "-5", "1e3",
					     ".inf", "0x1F", "a: b", "#x", "x #y", "- x", "'q'",
					     "[a]", "{b}", "*star", "&amp", "%p", "@at", "`t",
					     "ünïcødé", " lead", "trail ", "a\"b", "!bang", NULL };
	int i;

	for (i = 0; names[i]; i++) {
		const struct cairn_error *e;
		struct ptr *p = ptr_new(names[i], PTR_FILE), *q = NULL;
		char *s;

		oid_fromhex(&p->id, HEX_A);
		s = format(p);
		e = s ? ptr_parse(&q, s, strlen(s), "x.cairn") : NULL;
		ok(s && e == NULL && q && strcmp(q->path, names[i]) == 0,
		   "path '%s' survives a write and a read", names[i]);
		if (e)
			diag("%s", e->msg);
		free(s);
		ptr_free(p);
		ptr_free(q);
	}
}

struct bad {
	const char *text;
	const char *why; /* a part of the expected message */
	const char *what;
};

#define OUT_HEAD "outs:\n- path: f\n"
#define SHA "  sha256: " HEX_A "\n"

static const struct bad bads[] = {
	{ "", "top level", "an empty file" },
	{ "just text\n", "top level", "a scalar document" },
	{ "- a\n- b\n", "top level", "a list at the top" },
	{ "outs: [\n", "line", "broken YAML" },
	{ "outs:\n  - path: f\n   bad indent: x\n", "line", "bad indentation" },
	{ "other: 1\n", "missing 'outs'", "no outs" },
	{ "outs: {}\n", "exactly one output", "outs is a mapping" },
	{ "outs: []\n", "exactly one output", "outs is empty" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n- path: g\n" SHA "  size: 1\n  type: file\n",
	  "exactly one output", "two outs" },
	{ "outs:\n- f\n", "must be a mapping", "an out that is a scalar" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\nouts: []\n", "duplicate key 'outs'",
	  "outs twice" },
	{ "outs:\n- sha256: " HEX_A "\n  size: 1\n  type: file\n", "missing 'path'", "no path" },
	{ OUT_HEAD "  size: 1\n  type: file\n", "missing 'sha256'", "no sha256" },
	{ OUT_HEAD SHA "  type: file\n", "missing 'size'", "no size" },
	{ OUT_HEAD SHA "  size: 1\n", "missing 'type'", "no type" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n  path: g\n", "duplicate key", "path twice" },
	{ OUT_HEAD SHA SHA "  size: 1\n  type: file\n", "duplicate key", "sha256 twice" },
	{ "outs:\n- path: ../x\n" SHA "  size: 1\n  type: file\n", "'/'", "path ../x" },
	{ "outs:\n- path: a/b\n" SHA "  size: 1\n  type: file\n", "'/'", "path with a slash" },
	{ "outs:\n- path: /etc\n" SHA "  size: 1\n  type: file\n", "'/'", "an absolute path" },
	{ "outs:\n- path: ..\n" SHA "  size: 1\n  type: file\n", "'..'", "path .." },
	{ "outs:\n- path: .\n" SHA "  size: 1\n  type: file\n", "'.'", "path ." },
	{ "outs:\n- path: ''\n" SHA "  size: 1\n  type: file\n", "empty", "an empty path" },
	{ "outs:\n- path: .GIT\n" SHA "  size: 1\n  type: file\n", ".git", "path .GIT" },
	{ "outs:\n- path: \"a\\nb\"\n" SHA "  size: 1\n  type: file\n", "line break",
	  "a path with a line break" },
	{ "outs:\n- path: a\xff\n" SHA "  size: 1\n  type: file\n", "UTF-8",
	  "a path that is not UTF-8" },
	{ "outs:\n- path: \"a\\0b\"\n" SHA "  size: 1\n  type: file\n", "x.cairn",
	  "a path with an escaped NUL" },
	{ "outs:\n- path: [a]\n" SHA "  size: 1\n  type: file\n", "'path' must be a string",
	  "a path that is a list" },
	{ OUT_HEAD "  sha256: " HEX_A "0\n  size: 1\n  type: file\n", "64 lowercase",
	  "65 hex digits" },
	{ OUT_HEAD "  sha256: 2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE\n"
		   "  size: 1\n  type: file\n",
	  "64 lowercase", "uppercase hex" },
	{ OUT_HEAD "  sha256: 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ag\n"
		   "  size: 1\n  type: file\n",
	  "64 lowercase", "a non-hex digit" },
	{ OUT_HEAD "  sha256: 2c26\n  size: 1\n  type: file\n", "64 lowercase", "short hex" },
	{ OUT_HEAD "  sha256: \"" HEX_A "\\0junk\"\n  size: 1\n  type: file\n", "64 lowercase",
	  "hex followed by an escaped NUL" },
	{ OUT_HEAD "  sha256: [x]\n  size: 1\n  type: file\n", "64 lowercase", "sha256 a list" },
	{ OUT_HEAD SHA "  size: -1\n  type: file\n", "'size'", "a negative size" },
	{ OUT_HEAD SHA "  size: 1.5\n  type: file\n", "'size'", "a fractional size" },
	{ OUT_HEAD SHA "  size: 0x10\n  type: file\n", "'size'", "a hex size" },
	{ OUT_HEAD SHA "  size: 007\n  type: file\n", "'size'", "a size with a leading zero" },
	{ OUT_HEAD SHA "  size: 18446744073709551616\n  type: file\n", "'size'",
	  "a size of 2^64" },
	{ OUT_HEAD SHA "  size: 99999999999999999999999\n  type: file\n", "'size'",
	  "a huge size" },
	{ OUT_HEAD SHA "  size: ''\n  type: file\n", "'size'", "an empty size" },
	{ OUT_HEAD SHA "  size: {a: 1}\n  type: file\n", "'size'", "a size that is a mapping" },
	{ OUT_HEAD SHA "  size: 1\n  type: link\n", "'type'", "an unknown type" },
	{ OUT_HEAD SHA "  size: 1\n  type: [file]\n", "'type'", "type a list" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n  exec: yes\n", "'exec'", "exec: yes" },
	{ OUT_HEAD SHA "  size: 1\n  type: dir\n  exec: true\n", "only for files",
	  "exec on a folder" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n  nfiles: 2\n", "only for directories",
	  "nfiles on a file" },
	{ OUT_HEAD SHA "  size: 1\n  type: dir\n  nfiles: -2\n", "'nfiles'", "a negative nfiles" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n  hash: md5\n", "'hash'", "hash: md5" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n  ? [a]\n  : b\n", "plain strings",
	  "a key that is a list" },
	{ OUT_HEAD SHA "  size: 1\n  type: file\n---\nouts: []\n", "more than one document",
	  "two documents" },
	{ "a: &a [x, x, x, x]\nb: [*a, *a, *a, *a]\n" OUT_HEAD SHA "  size: 1\n  type: file\n",
	  "alias", "an alias (billion laughs)" },
	{ "deep: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n" OUT_HEAD
	  SHA "  size: 1\n  type: file\n",
	  "nested too deeply", "unknown keys nested 36 deep" },
};

static void test_ptr__malformed(void)
{
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct cairn_error *e;
		struct ptr *p = parse(bads[i].text, &e);

		if (!ok(p == NULL && e && e->code == CAIRN_ERR_FORMAT && strstr(e->msg, "x.cairn") &&
				strstr(e->msg, bads[i].why),
			"refused: %s", bads[i].what))
			diag("got: %s", e ? e->msg : "no error");
		ptr_free(p);
	}
}

static void test_ptr__malformed_names_line(void)
{
	const struct cairn_error *e;
	struct ptr *p = parse(OUT_HEAD SHA "  size: 1\n  type: file\n  exec: maybe\n", &e);

	ok(p == NULL && e && strstr(e->msg, "line 6") != NULL, "the error names the line");
	if (e)
		diag("%s", e->msg);
}

static void test_ptr__nul_and_size(void)
{
	const struct cairn_error *e;
	char text[] = OUT_HEAD SHA "  size: 1\n  type: file\n";
	char *big;
	struct ptr *p = NULL;

	text[10] = '\0';
	e = ptr_parse(&p, text, sizeof(text) - 1, "x.cairn");
	ok(e && e->code == CAIRN_ERR_FORMAT && strstr(e->msg, "NUL"), "a NUL byte is refused");
	big = malloc(PTR_MAX_BYTES + 2);
	if (big == NULL)
		bail("out of memory");
	memset(big, '#', PTR_MAX_BYTES + 1);
	big[PTR_MAX_BYTES + 1] = '\0';
	e = ptr_parse(&p, big, PTR_MAX_BYTES + 1, "x.cairn");
	ok(e && e->code == CAIRN_ERR_FORMAT && strstr(e->msg, "larger"),
	   "a pointer over 64 KiB is refused");
	free(big);
}

static void test_ptr__read_at(void)
{
	char *dir = tap_tmpdir(), path[4096];
	struct ptr *p = NULL;
	int dfd, fd;

	snprintf(path, sizeof(path), "%s/f.cairn", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok(fd >= 0 && write(fd, file_ptr, strlen(file_ptr)) == (ssize_t)strlen(file_ptr),
	   "write a pointer file");
	close(fd);
	snprintf(path, sizeof(path), "%s/l.cairn", dir);
	ok(symlink("f.cairn", path) == 0, "and a symlink to it");
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ok_noerr(ptr_read_at(&p, dfd, "f.cairn", "f.cairn"), "ptr_read_at reads it");
	ok(p && strcmp(p->path, "a.csv") == 0, "with its path");
	ptr_free(p);
	p = NULL;
	is_err(ptr_read_at(&p, dfd, "l.cairn", "l.cairn"), CAIRN_ERR_FORMAT,
	       "a symlinked pointer is refused");
	is_err(ptr_read_at(&p, dfd, "none.cairn", "none.cairn"), CAIRN_ERR_NOT_FOUND,
	       "a missing pointer is NOT_FOUND");
	close(dfd);
	tap_rmtree(dir);
}

int main(void)
{
	TAP_RUN(test_ptr__write_exact_bytes);
	TAP_RUN(test_ptr__round_trip);
	TAP_RUN(test_ptr__unknown_keys_kept);
	TAP_RUN(test_ptr__quoting);
	TAP_RUN(test_ptr__malformed);
	TAP_RUN(test_ptr__malformed_names_line);
	TAP_RUN(test_ptr__nul_and_size);
	TAP_RUN(test_ptr__read_at);
	return tap_done();
}
