/*
 * tests/unit/stage.c: cairn.yaml parsing (every key, cmd lists, params
 * forms, wdir, external deps) and its errors with line and column; path
 * normalisation; appending a stage keeps the text.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/stage.h"
#include "tests/unit/tap.h"

static const struct cairn_error *parse(struct pipeline *p, const char *yaml)
{
	return pipeline_parse(p, yaml, strlen(yaml), "cairn.yaml", "/repo");
}

static void test_stage__full(void)
{
	struct pipeline p;
	const struct stage *s;

	ok_noerr(parse(&p, "stages:\n"
			   "  train:\n"
			   "    cmd: [python3 a.py, python3 b.py]\n"
			   "    wdir: sub\n"
			   "    deps: [../data, /repo/x/y, /ext/in, in.txt]\n"
			   "    params: [lr, {conf.json: [m.k, n]}, {all.yaml: }]\n"
			   "    outs: [model.pkl]\n"
			   "    metrics: m.json\n"
			   "    image: python:3.11\n"
			   "    always_changed: true\n"
			   "    desc: trains\n"),
		 "a stage with every key");
	s = pipeline_find(&p, "train");
	ok(s != NULL, "found by name");
	if (s == NULL)
		return;
	is_int(s->ncmd, 2, "two commands");
	is_str(s->wdir, "sub", "wdir");
	is_str(s->deps[0].rel, "data", "paths are relative to wdir, normalised");
	is_str(s->deps[1].rel, "x/y", "an absolute path inside the repo becomes relative");
	ok(!s->deps[1].external && s->deps[2].external, "only outside paths are external");
	is_str(s->deps[2].rel, "/ext/in", "an external path stays absolute");
	is_str(s->deps[3].rel, "sub/in.txt", "wdir prefix");
	is_int(s->nparams, 4, "four params");
	is_str(s->params[0].file, "sub/params.yaml", "default params file in wdir");
	is_str(s->params[1].file, "sub/conf.json", "a named file");
	is_str(s->params[2].key, "n", "its keys");
	ok(s->params[3].key == NULL, "a whole file");
	is_str(s->outs[0].rel, "sub/model.pkl", "output");
	is_str(s->metrics[0].rel, "sub/m.json", "a single metrics string");
	is_str(s->image, "python:3.11", "image");
	ok(s->always_changed && !s->frozen, "flags");
	pipeline_release(&p);
	ok_noerr(parse(&p, ""), "an empty file");
	is_int(p.n, 0, "no stages");
	pipeline_release(&p);
}

static void expect_error(const char *yaml, const char *want, const char *what)
{
	struct pipeline p;
	const struct cairn_error *e = parse(&p, yaml);

	ok(e && strstr(e->msg, want), "%s", what);
	if (e && !strstr(e->msg, want))
		diag("got '%s', want '%s'", e->msg, want);
	pipeline_release(&p);
}

static void test_stage__errors(void)
{
	expect_error("- a\n", "cairn.yaml:1:1: the top level must be a mapping", "not a mapping");
	expect_error("stages:\n  a:\n    cmd: x\n    outz: [o]\n",
		     "cairn.yaml:4:5: unknown key 'outz' in stage 'a'", "unknown key");
	expect_error("stages:\n  a:\n    deps: [x]\n", "cairn.yaml:2:3: stage 'a' has no 'cmd'",
		     "no cmd");
	expect_error("stages:\n  a:\n    cmd: ''\n", "has an empty 'cmd'", "empty cmd");
	expect_error("stages:\n  a b:\n    cmd: x\n", "cairn.yaml:2:3: bad stage name 'a b'",
		     "bad name");
	expect_error("stages:\n  a:\n    cmd: x\n    outs: [../o]\n",
		     "cairn.yaml:4:12: '../o' is outside the repository", "output escaping");
	expect_error("stages:\n  a:\n    cmd: x\n    outs: [/etc/o]\n",
		     "output '/etc/o' is outside the repository", "absolute output outside");
	expect_error("stages:\n  a:\n    cmd: x\n    deps: [.git/config]\n", "inside '.git'",
		     "inside .git");
	expect_error("stages:\n  a:\n    cmd: x\n    outs: [.cairn/cache]\n", "inside '.cairn'",
		     "inside .cairn");
	expect_error("stages:\n  a:\n    cmd: x\n    frozen: maybe\n",
		     "cairn.yaml:4:13: 'frozen' must be true or false", "bad bool");
	expect_error("stages:\n  a:\n    cmd: x\n    params: {a: b}\n", "'params' must be a list",
		     "params mapping");
	expect_error("stages:\n  a:\n    cmd: x\n    cmd: y\n", "key 'cmd' given twice", "twice");
	/* found by tests/fuzz/pipeline: the default params file leaked (ASan) */
	expect_error("stages:\n  a:\n    cmd: x\n    params: [lr, '']\n",
		     "cairn.yaml:4:18: empty parameter name", "an empty key after a key");
	expect_error("stages:\n  a:\n    cmd: [x\n", "cairn.yaml:", "malformed YAML");
	expect_error("stages: 3\n", "'stages' must be a mapping", "stages scalar");
	expect_error("foo: 1\n", "unknown top-level key 'foo'", "unknown top-level key");
	expect_error("<<<<<<< a\nstages:\n=======\n>>>>>>> b\n", "contains merge conflict markers",
		     "conflict markers");
}

/*
 * Hostile sizes: a stage name was checked against every earlier stage
 * (quadratic), and one aliased list of 100,000 deps could be given to
 * every stage (hundreds of GB from a 1 MB cairn.yaml).
 */
static void test_stage__hostile_sizes(void)
{
	struct pipeline p;
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	int i;

	buf_init(&b);
	buf_adds(&b, "stages:\n");
	for (i = 0; i < 100000; i++)
		buf_addf(&b, "  s%d: {cmd: x}\n", i);
	ok_noerr(parse(&p, b.s), "100,000 stages");
	is_int(p.n, 100000, "all of them");
	{
		/* each found by a binary search (repro, exp look stages up by name) */
		size_t found = 0;
		char name[32];

		for (i = 0; i < 100000; i++) {
			snprintf(name, sizeof(name), "s%d", i);
			found += pipeline_find(&p, name) == &p.v[i];
		}
		is_int(found, 100000, "every stage found");
		ok(pipeline_find(&p, "s100000") == NULL && pipeline_find(&p, "") == NULL,
		   "no stage of other names");
	}
	pipeline_release(&p);
	buf_adds(&b, "  s9: {cmd: y}\n");
	e = parse(&p, b.s);
	ok(e && strstr(e->msg, "cairn.yaml:100002:3: stage 's9' is defined twice"),
	   "and one defined twice");
	pipeline_release(&p);
	buf_reset(&b);
	buf_adds(&b, "stages:\n  s0: {cmd: x, deps: &d [d0");
	for (i = 1; i < 100000; i++)
		buf_addf(&b, ", d%d", i);
	buf_adds(&b, "]}\n");
	for (i = 1; i < 2000; i++)
		buf_addf(&b, "  s%d: {cmd: x, deps: *d}\n", i);
	e = parse(&p, b.s);
	ok(e && strstr(e->msg, "aliases expand too far"), "one aliased list of deps in 2000 stages");
	pipeline_release(&p);
	buf_release(&b);
}

static void test_stage__append(void)
{
	const char *old = "# comment\nstages:\n    a:   # keep\n        cmd: x\n";
	struct stage s;
	struct buf b = BUF_INIT;
	struct pipeline p;
	char *cmd[] = { (char *)"echo 'hi: there'" };
	struct stage_path out = { (char *)"o", (char *)"o", false, 0, 0 };

	memset(&s, 0, sizeof(s));
	s.name = (char *)"b";
	s.cmd = cmd;
	s.ncmd = 1;
	s.wdir = (char *)"";
	s.outs = &out;
	s.nouts = 1;
	buf_init(&b);
	ok_noerr(pipeline_append(&b, old, strlen(old), &s), "append");
	ok(strncmp(b.s, old, strlen(old)) == 0, "the old text is kept byte for byte");
	ok(strstr(b.s, "\n    b:\n      cmd: ") != NULL, "at the same indentation");
	ok_noerr(parse(&p, b.s), "reads back");
	is_int(p.n, 2, "two stages");
	if (p.n == 2)
		is_str(p.v[1].cmd[0], "echo 'hi: there'", "a command that needs quoting");
	pipeline_release(&p);
	buf_reset(&b);
	ok_noerr(pipeline_append(&b, "stages: {}\n", 11, &s), "append to a flow mapping");
	ok_noerr(parse(&p, b.s), "reads back");
	is_int(p.n, 1, "one stage");
	pipeline_release(&p);
	buf_reset(&b);
	ok_noerr(pipeline_append(&b, "", 0, &s), "append to nothing");
	ok(strncmp(b.s, "stages:\n  b:\n", 13) == 0, "a new file");
	buf_release(&b);
}

static void test_stage__norm(void)
{
	char *rel = NULL;
	bool ext;

	ok_noerr(stage_norm_path(&rel, &ext, "a", "./b/../c//d", "/r"), "normalise");
	is_str(rel, "a/c/d", "lexically");
	free(rel);
	is_err(stage_norm_path(&rel, &ext, "a", "../../x", "/r"), CAIRN_ERR_FAILED, "escaping");
	is_err(stage_norm_path(&rel, &ext, "", ".", "/r"), CAIRN_ERR_FAILED, "the root itself");
	ok_noerr(stage_norm_path(&rel, &ext, "", "/r/../etc", "/r"), "absolute");
	ok(ext, "outside");
	is_str(rel, "/etc", "normalised absolute");
	free(rel);
	ok(stage_name_check("ok-name_1.x") == NULL, "a good name");
	ok(stage_name_check("-x") != NULL && stage_name_check("a/b") != NULL, "bad names");
}

int main(void)
{
	TAP_RUN(test_stage__full);
	TAP_RUN(test_stage__errors);
	TAP_RUN(test_stage__hostile_sizes);
	TAP_RUN(test_stage__append);
	TAP_RUN(test_stage__norm);
	return tap_done();
}
