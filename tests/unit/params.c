/*
 * tests/unit/params.c: params files and the YAML <-> JSON value layer:
 * dotted keys (also keys that contain dots), YAML scalar types, JSON files,
 * errors with line and column, setting values, flattening, and values that
 * survive a YAML round trip.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/params.h"
#include "core/yjson.h"
#include "tests/unit/tap.h"

static json_t *load(const char *text, const char *name)
{
	json_t *doc = NULL;

	if (params_parse(&doc, text, strlen(text), name) != NULL)
		bail("cannot parse %s", name);
	return doc;
}

static void test_params__dotted_yaml(void)
{
	json_t *doc = load("train:\n  lr: 0.5\n  depth: 4\n  name: rf\n  on: true\n  none:\n"
			   "  big: 123456789012345678901234567890\n  q: '4'\n"
			   "a.b:\n  c: 1\n",
			   "params.yaml");

	ok(json_is_real(params_get(doc, "train.lr")), "0.5 is a float");
	is_int(json_integer_value(params_get(doc, "train.depth")), 4, "4 is an integer");
	is_str(json_string_value(params_get(doc, "train.name")), "rf", "a string");
	ok(json_is_true(params_get(doc, "train.on")), "true is a boolean");
	ok(json_is_null(params_get(doc, "train.none")), "empty is null");
	ok(json_is_string(params_get(doc, "train.big")), "a huge integer stays text");
	ok(json_is_string(params_get(doc, "train.q")), "a quoted 4 is a string");
	is_int(json_integer_value(params_get(doc, "a.b.c")), 1, "a key with a dot");
	ok(json_is_object(params_get(doc, "train")), "a section");
	ok(params_get(doc, "train.nope") == NULL, "a missing key");
	ok(params_get(doc, "train.lr.x") == NULL, "below a leaf");
	json_decref(doc);
}

static void test_params__json(void)
{
	json_t *doc = load("{\"m\": {\"k\": [1, 2], \"x\": 1.5}}", "conf.json");
	const struct cairn_error *e;
	json_t *bad = NULL;

	ok(json_is_array(params_get(doc, "m.k")), "a JSON list");
	ok(json_real_value(params_get(doc, "m.x")) == 1.5, "a JSON float");
	json_decref(doc);
	e = params_parse(&bad, "{\"a\": }", 7, "conf.json");
	is_err(e, CAIRN_ERR_FORMAT, "bad JSON");
	ok(e && strstr(e->msg, "conf.json:1:"), "JSON errors name line and column");
}

static void test_params__json_huge_numbers(void)
{
	json_t *doc = load("{\"n\": 18446744073709551616, \"x\": 1e400, \"i\": 7, \"s\": \"a\\/b\"}",
			   "m.json");

	is_str(json_string_value(params_get(doc, "n")), "18446744073709551616",
	       "an integer past 64 bits stays the text it is");
	is_str(json_string_value(params_get(doc, "x")), "1e400", "so does a real past a double");
	is_int(json_integer_value(params_get(doc, "i")), 7, "the other values are read as usual");
	is_str(json_string_value(params_get(doc, "s")), "a/b", "JSON escapes too");
	json_decref(doc);
}

static void test_params__errors(void)
{
	const struct cairn_error *e;
	json_t *doc = NULL;

	e = params_parse(&doc, "a: 1\nb: [1\n", 11, "p.yaml");
	is_err(e, CAIRN_ERR_FORMAT, "unclosed list");
	ok(e && strstr(e->msg, "p.yaml:"), "names the file");
	e = params_parse(&doc, "a: 1\na: 2\n", 10, "p.yaml");
	is_err(e, CAIRN_ERR_FORMAT, "duplicate key");
	ok(e && strstr(e->msg, "p.yaml:2:1: duplicate key"), "at its line and column");
	e = params_parse(&doc, "a: &x [*x]\n", 11, "p.yaml");
	ok(e != NULL, "a recursive alias is refused");
	e = params_load(&doc, "/nonexistent/params.yaml", "params.yaml");
	is_err(e, CAIRN_ERR_NOT_FOUND, "a missing file");
}

/*
 * Aliases that expand a small file into a huge tree: 1000 bytes repeated by
 * 100,000 aliases were 100 MB of strings, and a 100 KB string behind 100,000
 * aliases 10 GB (out of memory). Refused by yjson_load's expansion budget.
 */
static void test_params__alias_bomb(void)
{
	const struct cairn_error *e;
	json_t *doc = NULL;
	struct buf b = BUF_INIT;
	int i;

	buf_init(&b);
	buf_adds(&b, "a: &a \"");
	for (i = 0; i < 1000; i++)
		buf_addch(&b, 'x');
	buf_adds(&b, "\"\nb: [*a");
	for (i = 1; i < 100000; i++)
		buf_adds(&b, ", *a");
	buf_adds(&b, "]\n");
	e = params_parse(&doc, b.s, b.len, "p.yaml");
	is_err(e, CAIRN_ERR_FORMAT, "100 MB of aliased strings");
	ok(e && strstr(e->msg, "aliases expand too far"), "says why");
	buf_reset(&b);
	/* 10 levels of 10 aliases each: 10^10 values from 300 bytes */
	buf_adds(&b, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 10; i++)
		buf_addf(&b, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n",
			 i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	e = params_parse(&doc, b.s, b.len, "p.yaml");
	is_err(e, CAIRN_ERR_FORMAT, "a billion laughs");
	ok_noerr(params_parse(&doc, "a: &a [1, 2]\nb: *a\n", 19, "p.yaml"), "a modest alias");
	is_int(json_array_size(json_object_get(doc, "b")), 2, "expanded");
	json_decref(doc);
	buf_release(&b);
}

/*
 * Every flattened name repeats its parents' keys: a 1 MB key above 100,000
 * values was 100 GB of names for params_flatten (params diff, repro).
 */
static void test_params__flat_bomb(void)
{
	const struct cairn_error *e;
	json_t *doc = NULL;
	struct buf b = BUF_INIT;
	int i;

	buf_init(&b);
	buf_addch(&b, '{');
	buf_addch(&b, '"');
	for (i = 0; i < (1 << 20); i++)
		buf_addch(&b, 'k');
	buf_adds(&b, "\": {\"a0\": 1");
	for (i = 1; i < 100000; i++)
		buf_addf(&b, ", \"a%d\": 1", i);
	buf_adds(&b, "}}");
	e = params_parse(&doc, b.s, b.len, "p.json");
	is_err(e, CAIRN_ERR_FORMAT, "100 GB of flattened names");
	ok(e && strstr(e->msg, "p.json: the dotted names of its values exceed 64 MiB"), "says why");
	ok(doc == NULL, "no document");
	buf_release(&b);
}

static void test_params__set_flatten(void)
{
	json_t *doc = load("train:\n  lr: 0.5\n", "params.yaml"), *flat;
	struct buf b = BUF_INIT;

	ok_noerr(params_set(doc, "train.lr", "0.25"), "set a float");
	ok(json_real_value(params_get(doc, "train.lr")) == 0.25, "value changed");
	ok_noerr(params_set(doc, "model.kind", "rf"), "set a new nested key");
	is_str(json_string_value(params_get(doc, "model.kind")), "rf", "created on the way");
	is_err(params_set(doc, "train.lr.x", "1"), CAIRN_ERR_USAGE, "below a leaf");
	is_err(params_set(doc, "a..b", "1"), CAIRN_ERR_USAGE, "an empty component");
	flat = params_flatten(doc);
	is_int(json_object_size(flat), 2, "two leaves");
	ok(json_object_get(flat, "model.kind") != NULL, "dotted names");
	json_decref(flat);
	buf_init(&b);
	ok_noerr(params_format(&b, doc, "params.yaml"), "format YAML");
	ok(strstr(b.s, "lr: 0.25") != NULL, "written as YAML");
	buf_release(&b);
	json_decref(doc);
}

static void test_params__roundtrip(void)
{
	json_t *doc = load("s: 'true'\nt: '1.0'\nn: 1.0\ni: 7\ne: ''\nl: [a, 'b: c']\nz: null\n",
			   "p.yaml"),
	       *back = NULL;
	struct buf b = BUF_INIT;

	buf_init(&b);
	ok_noerr(yjson_dump(&b, doc), "dump");
	ok_noerr(yjson_parse(&back, b.s, b.len, "dump"), "parse again");
	ok(json_equal(doc, back), "the same values and types after a round trip");
	ok(json_is_real(json_object_get(back, "n")), "1.0 stays a float");
	ok(json_is_string(json_object_get(back, "s")), "'true' stays a string");
	buf_release(&b);
	json_decref(doc);
	json_decref(back);
}

int main(void)
{
	TAP_RUN(test_params__dotted_yaml);
	TAP_RUN(test_params__json);
	TAP_RUN(test_params__json_huge_numbers);
	TAP_RUN(test_params__errors);
	TAP_RUN(test_params__alias_bomb);
	TAP_RUN(test_params__flat_bomb);
	TAP_RUN(test_params__set_flatten);
	TAP_RUN(test_params__roundtrip);
	return tap_done();
}
