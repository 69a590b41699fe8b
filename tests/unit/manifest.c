/*
 * tests/unit/manifest.c: directory manifests (cairn-manifest(5)): the
 * canonical bytes of every entry type, sorting and duplicate names, a
 * parse/format round trip, and hostile manifests refused with FORMAT.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/manifest.h"
#include "core/oid.h"
#include "tests/unit/tap.h"

#define HEX_A "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
#define HEX_B "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"

static const char canonical[] =
	"{\"entries\":["
	"{\"name\":\"a.csv\",\"sha256\":\"" HEX_A "\",\"size\":12,\"type\":\"file\"},"
	"{\"name\":\"latest\",\"target\":\"a.csv\",\"type\":\"symlink\"},"
	"{\"exec\":true,\"name\":\"run.sh\",\"sha256\":\"" HEX_B "\",\"size\":40,\"type\":\"file\"},"
	"{\"name\":\"sub\",\"nfiles\":3,\"sha256\":\"" HEX_A "\",\"size\":900,\"type\":\"dir\"}"
	"],\"version\":1}";

static void fill(struct manifest *m)
{
	struct manifest_entry *e;

	/* added out of order on purpose */
	e = manifest_add(m, "sub", MANIFEST_DIR);
	oid_fromhex(&e->id, HEX_A);
	e->size = 900;
	e->nfiles = 3;
	e = manifest_add(m, "run.sh", MANIFEST_FILE);
	oid_fromhex(&e->id, HEX_B);
	e->size = 40;
	e->exec = true;
	e = manifest_add(m, "latest", MANIFEST_SYMLINK);
	e->target = strdup("a.csv");
	e = manifest_add(m, "a.csv", MANIFEST_FILE);
	oid_fromhex(&e->id, HEX_A);
	e->size = 12;
}

static void test_manifest__canonical_bytes(void)
{
	struct manifest m = MANIFEST_INIT;
	struct buf b = BUF_INIT;

	fill(&m);
	ok_noerr(manifest_sort(&m), "sort");
	buf_init(&b);
	manifest_format(&b, &m);
	is_str(b.s, canonical, "keys sorted, compact, entries by name, no newline");
	buf_release(&b);
	manifest_release(&m);
	buf_init(&b);
	manifest_format(&b, &m);
	is_str(b.s, "{\"entries\":[],\"version\":1}", "an empty folder");
	buf_release(&b);
}

static void test_manifest__sort_bytewise(void)
{
	struct manifest m = MANIFEST_INIT;
	static const char *const in[] = { "b", "a", "B", "\xc3\xa9", "e\xcc\x81", "a b", "_", NULL };
	static const char *const want[] = { "B", "_", "a", "a b", "b", "e\xcc\x81", "\xc3\xa9" };
	size_t i;

	for (i = 0; in[i]; i++)
		manifest_add(&m, in[i], MANIFEST_FILE);
	ok_noerr(manifest_sort(&m), "sort seven names");
	for (i = 0; i < m.n; i++)
		is_str(m.entries[i].name, want[i], "bytewise order, no locale, no normalisation");
	ok(manifest_find(&m, "a b") == &m.entries[3], "manifest_find finds an entry");
	ok(manifest_find(&m, "c") == NULL, "and not a missing one");
	manifest_add(&m, "b", MANIFEST_DIR);
	is_err(manifest_sort(&m), CAIRN_ERR_EXISTS, "a duplicate name is refused");
	manifest_release(&m);
}

static void test_manifest__round_trip(void)
{
	struct manifest m = MANIFEST_INIT;
	struct buf b = BUF_INIT;

	ok_noerr(manifest_parse(&m, canonical, strlen(canonical), "m"), "parse the canonical form");
	is_int(m.n, 4, "four entries");
	if (m.n == 4) {
		is_int(m.entries[1].type, MANIFEST_SYMLINK, "a symlink");
		is_str(m.entries[1].target, "a.csv", "with its target");
		ok(m.entries[2].exec, "an executable file");
		is_int(m.entries[3].nfiles, 3, "a folder's nfiles");
	}
	buf_init(&b);
	manifest_format(&b, &m);
	is_str(b.s, canonical, "formatted back byte for byte");
	buf_release(&b);
	manifest_release(&m);
	ok_noerr(manifest_parse(&m, "{\"version\":1,\"entries\":[{\"type\":\"file\",\"exec\":false,"
				   "\"size\":0,\"name\":\"z\",\"sha256\":\"" HEX_A "\"}]}",
				strlen("{\"version\":1,\"entries\":[{\"type\":\"file\",\"exec\":false,"
				       "\"size\":0,\"name\":\"z\",\"sha256\":\"" HEX_A "\"}]}"),
				"m"),
		 "non-canonical spacing and key order and exec:false are read");
	manifest_release(&m);
}

struct bad {
	const char *json;
	const char *what;
};

#define F(name) "{\"name\":" name ",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"file\"}"
#define M(entries) "{\"entries\":[" entries "],\"version\":1}"

static const struct bad bads[] = {
	{ "", "empty" },
	{ "not json", "not JSON" },
	{ "[]", "a list" },
	{ "{\"entries\":[]}", "no version" },
	{ "{\"entries\":[],\"version\":2}", "version 2" },
	{ "{\"entries\":[],\"version\":\"1\"}", "version as a string" },
	{ "{\"entries\":{},\"version\":1}", "entries an object" },
	{ "{\"entries\":[],\"version\":1,\"x\":0}", "an extra top-level key" },
	{ "{\"entries\":[],\"entries\":[],\"version\":1}", "a duplicate key" },
	{ M("1"), "an entry that is a number" },
	{ M(F("\"..\"")), "name .." },
	{ M(F("\".\"")), "name ." },
	{ M(F("\"\"")), "an empty name" },
	{ M(F("\"a/b\"")), "a name with a slash" },
	{ M(F("\"/etc\"")), "an absolute name" },
	{ M(F("\"../x\"")), "name ../x" },
	{ M(F("\".git\"")), "name .git" },
	{ M(F("\".Git\"")), "name .Git" },
	{ M(F("\"a\\u0000b\"")), "a name with a NUL" },
	{ M(F("\"\\udc00\"")), "a name with a lone surrogate" },
	{ M(F("1")), "a name that is a number" },
	{ M("{\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"file\"}"), "no name" },
	{ M(F("\"b\"") "," F("\"a\"")), "names out of order" },
	{ M(F("\"a\"") "," F("\"a\"")), "a duplicate name" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1}"), "no type" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"fifo\"}"),
	  "an unknown type" },
	{ M("{\"name\":\"a\",\"size\":1,\"type\":\"file\"}"), "a file without sha256" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"type\":\"file\"}"), "a file without size" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":-1,\"type\":\"file\"}"),
	  "a negative size" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1.5,\"type\":\"file\"}"),
	  "a fractional size" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":\"1\",\"type\":\"file\"}"),
	  "a size as a string" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":99999999999999999999,"
	    "\"type\":\"file\"}"),
	  "a size beyond 64 bits" },
	{ M("{\"name\":\"a\",\"sha256\":\"2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE\","
	    "\"size\":1,\"type\":\"file\"}"),
	  "uppercase hex" },
	{ M("{\"name\":\"a\",\"sha256\":\"2c26\",\"size\":1,\"type\":\"file\"}"), "short hex" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"file\",\"exec\":1}"),
	  "exec as a number" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"file\",\"mode\":420}"),
	  "an unknown field" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"file\",\"nfiles\":1}"),
	  "nfiles on a file" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"dir\"}"),
	  "a folder without nfiles" },
	{ M("{\"name\":\"a\",\"sha256\":\"" HEX_A "\",\"size\":1,\"type\":\"dir\",\"nfiles\":1,"
	    "\"exec\":true}"),
	  "exec on a folder" },
	{ M("{\"name\":\"a\",\"type\":\"symlink\"}"), "a symlink without target" },
	{ M("{\"name\":\"a\",\"target\":\"b\",\"type\":\"symlink\",\"sha256\":\"" HEX_A "\"}"),
	  "a symlink with a sha256" },
	{ M("{\"name\":\"a\",\"target\":\"b\\u0000c\",\"type\":\"symlink\"}"),
	  "a symlink target with a NUL" },
	{ M("{\"name\":\"a\",\"target\":7,\"type\":\"symlink\"}"), "a target that is a number" },
};

static void test_manifest__hostile(void)
{
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct manifest m = MANIFEST_INIT;
		const struct cairn_error *e = manifest_parse(&m, bads[i].json, strlen(bads[i].json),
							     "m1");

		if (!ok(e && e->code == CAIRN_ERR_FORMAT && strstr(e->msg, "m1") && m.n == 0,
			"refused: %s", bads[i].what))
			diag("got: %s", e ? e->msg : "no error");
		manifest_release(&m);
	}
}

int main(void)
{
	TAP_RUN(test_manifest__canonical_bytes);
	TAP_RUN(test_manifest__sort_bytewise);
	TAP_RUN(test_manifest__round_trip);
	TAP_RUN(test_manifest__hostile);
	return tap_done();
}
