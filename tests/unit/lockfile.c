/*
 * tests/unit/lockfile.c: cairn.lock round trip in a stable order, parsing
 * errors with line and column, hostile paths, conflict markers, and the
 * recorded outputs as struct out.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/lockfile.h"
#include "core/out.h"
#include "core/ptr.h"
#include "tests/unit/tap.h"

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"

static const char text[] =
	"schema: '1'\n"
	"stages:\n"
	"  train:\n"
	"    cmd: python3 train.py\n"
	"    deps:\n"
	"    - path: /ext/data\n"
	"      sha256: " H2 "\n"
	"      size: 10\n"
	"      nfiles: 2\n"
	"    - path: src/a.py\n"
	"      sha256: " H1 "\n"
	"      size: 3\n"
	"    params:\n"
	"      params.yaml:\n"
	"        lr: 0.5\n"
	"        name: \"true\"\n"
	"    outs:\n"
	"    - path: model.pkl\n"
	"      sha256: " H1 "\n"
	"      size: 3\n"
	"      exec: true\n"
	"    image: python@sha256:" H2 "\n"
	"    git:\n"
	"      commit: 0123456789abcdef0123456789abcdef01234567\n"
	"      dirty: true\n"
	"    cairn: 0.1.0\n";

static void test_lockfile__roundtrip(void)
{
	struct lockfile lk, again;
	struct buf b = BUF_INIT;
	struct lockfile_stage *s;
	struct lockfile_stage extra;

	ok_noerr(lockfile_parse(&lk, text, strlen(text), "cairn.lock"), "parse");
	s = lockfile_find(&lk, "train");
	ok(s != NULL, "a stage");
	if (s == NULL)
		return;
	is_int(s->ndeps, 2, "deps");
	ok(s->deps[0].dir && s->deps[0].nfiles == 2, "a folder dependency");
	ok(s->outs[0].exec, "an executable output");
	ok(s->dirty && strcmp(s->commit, "0123456789abcdef0123456789abcdef01234567") == 0, "git");
	buf_init(&b);
	ok_noerr(lockfile_format(&b, &lk), "format");
	is_str(b.s, text, "the canonical text is what was read");
	/* a stage added later goes in name order */
	memset(&extra, 0, sizeof(extra));
	extra.name = strdup("aaa");
	extra.cmd = calloc(1, sizeof(char *));
	extra.cmd[extra.ncmd++] = strdup("true");
	extra.params = json_object();
	lockfile_put(&lk, &extra);
	buf_reset(&b);
	ok_noerr(lockfile_format(&b, &lk), "format again");
	ok(strstr(b.s, "stages:\n  aaa:\n    cmd: \"true\"\n  train:") != NULL,
	   "stages sorted by name; a command that reads as a boolean is quoted");
	ok_noerr(lockfile_parse(&again, b.s, b.len, "cairn.lock"), "reads back");
	is_int(again.n, 2, "two stages");
	ok(lockfile_drop(&again, "aaa") && again.n == 1, "drop");
	lockfile_release(&again);
	buf_release(&b);
	lockfile_release(&lk);
}

static void expect_error(const char *t, const char *want, const char *what)
{
	struct lockfile lk;
	const struct cairn_error *e = lockfile_parse(&lk, t, strlen(t), "cairn.lock");

	ok(e && strstr(e->msg, want), "%s", what);
	if (e && !strstr(e->msg, want))
		diag("got '%s'", e->msg);
	lockfile_release(&lk);
}

static void test_lockfile__errors(void)
{
	expect_error("stages:\n  s:\n    cmd: x\n    outs:\n    - path: ../x\n      sha256: " H1
		     "\n      size: 1\n",
		     "cairn.lock:5:13: '../x': path is outside", "an output leaving the repo");
	expect_error("stages:\n  s:\n    cmd: x\n    outs:\n    - path: /etc/x\n      sha256: " H1
		     "\n      size: 1\n",
		     "outside the repository", "an absolute output");
	expect_error("stages:\n  s:\n    cmd: x\n    outs:\n    - path: a/./b\n      sha256: " H1
		     "\n      size: 1\n",
		     "not normalised", "a path not normalised");
	expect_error("stages:\n  s:\n    cmd: x\n    outs:\n    - path: x\n      sha256: XYZ\n      size: 1\n",
		     "cairn.lock:6:15: 'sha256' must be 64", "a bad id");
	expect_error("stages:\n  s:\n    cmd: x\n    outs:\n    - path: x\n", "needs 'path', 'sha256'",
		     "an incomplete entry");
	expect_error("stages:\n  s:\n    deps: []\n", "has no 'cmd'", "no cmd");
	expect_error("schema: '9'\nstages: {}\n", "unsupported schema", "a newer schema");
	expect_error("stages:\n  s:\n    cmd: x\n    git:\n      commit: zz\n", "'commit' must be 40",
		     "a bad commit");
	expect_error("stages:\n<<<<<<< HEAD\n  s:\n=======\n  t:\n>>>>>>> b\n",
		     "'cairn.lock' contains merge conflict markers", "conflict markers");
	/* a hostile lock's duplicate keys (a second 'cmd' overflowed the command array) */
	expect_error("stages:\n  s:\n    cmd: x\n    cmd: y\n",
		     "cairn.lock:4:5: key 'cmd' given twice in stage 's'", "a duplicate cmd");
	expect_error("stages:\n  s:\n    cmd: [x]\n    cmd: [y, z]\n", "key 'cmd' given twice",
		     "a duplicate cmd list");
	expect_error("stages:\n  s:\n    cmd: x\n    outs:\n    - path: x\n      sha256: " H1
		     "\n      size: 1\n      size: 2\n",
		     "cairn.lock:8:7: key 'size' given twice", "a duplicate key in an entry");
	expect_error("stages:\n  s:\n    cmd: x\n    outs: []\n    outs: []\n",
		     "key 'outs' given twice", "a duplicate outs");
	expect_error("stages:\n  s:\n    cmd: x\n    git:\n      dirty: true\n      dirty: false\n",
		     "key 'dirty' given twice", "a duplicate key under git");
	expect_error("stages: {}\nstages:\n  s:\n    cmd: x\n", "key 'stages' given twice",
		     "a duplicate top-level key");
}

/*
 * Hostile sizes: duplicate keys were found by comparing each key with every
 * earlier one, and stages by a scan per stage (200,000 keys: minutes);
 * aliases could repeat one list of entries for every stage.
 */
static void test_lockfile__hostile_sizes(void)
{
	struct lockfile lk;
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	int i;

	buf_init(&b);
	for (i = 0; i < 200000; i++)
		buf_addf(&b, "k%d: 1\n", i);
	buf_adds(&b, "k7: 2\n");
	e = lockfile_parse(&lk, b.s, b.len, "cairn.lock");
	ok(e && strstr(e->msg, "cairn.lock:200001:1: key 'k7' given twice"),
	   "200,000 top-level keys and a duplicate");
	lockfile_release(&lk);
	buf_reset(&b);
	buf_adds(&b, "stages:\n");
	for (i = 0; i < 100000; i++)
		buf_addf(&b, "  s%d: {cmd: x}\n", i);
	e = lockfile_parse(&lk, b.s, b.len, "cairn.lock");
	ok(e == NULL && lk.n == 100000, "100,000 stages");
	{
		/* each found by a binary search (repro looks up every stage) */
		size_t found = 0;
		char name[32];

		for (i = 0; i < 100000; i++) {
			snprintf(name, sizeof(name), "s%d", i);
			found += lockfile_find(&lk, name) != NULL;
		}
		is_int(found, 100000, "every stage found");
	}
	lockfile_release(&lk);
	buf_adds(&b, "  s5: {cmd: y}\n");
	e = lockfile_parse(&lk, b.s, b.len, "cairn.lock");
	ok(e && strstr(e->msg, "cairn.lock:100002:3: stage 's5' is recorded twice"),
	   "and one recorded twice");
	lockfile_release(&lk);
	buf_reset(&b);
	buf_adds(&b, "stages:\n  s0:\n    cmd: &c [x");
	for (i = 1; i < 2000; i++)
		buf_adds(&b, ", x");
	buf_adds(&b, "]\n");
	for (i = 1; i < 1000; i++)
		buf_addf(&b, "  s%d: {cmd: *c}\n", i);
	e = lockfile_parse(&lk, b.s, b.len, "cairn.lock");
	ok(e && strstr(e->msg, "aliases expand too far"), "one aliased cmd list in 1000 stages");
	lockfile_release(&lk);
	buf_release(&b);
}

/* Records stay sorted by name: parsed out of order, put and dropped. */
static void test_lockfile__sorted(void)
{
	struct lockfile lk;
	struct lockfile_stage s;

	static const char text2[] = "stages:\n  c: {cmd: x}\n  a: {cmd: x}\n";

	ok_noerr(lockfile_parse(&lk, text2, strlen(text2), "cairn.lock"), "parse c then a");
	ok(lk.n == 2 && strcmp(lk.v[0].name, "a") == 0, "a first");
	memset(&s, 0, sizeof(s));
	s.name = strdup("b");
	s.params = json_object();
	lockfile_put(&lk, &s);
	ok(lk.n == 3 && strcmp(lk.v[1].name, "b") == 0, "b put between");
	ok(lockfile_find(&lk, "a") && lockfile_find(&lk, "b") && lockfile_find(&lk, "c") &&
	   !lockfile_find(&lk, "bb") && !lockfile_find(&lk, ""), "found by name");
	ok(lockfile_drop(&lk, "b") && lk.n == 2 && strcmp(lk.v[1].name, "c") == 0, "dropped");
	lockfile_release(&lk);
}

static void test_lockfile__outs(void)
{
	struct lockfile lk;
	struct out_list l = OUT_LIST_INIT;

	if (lockfile_parse(&lk, text, strlen(text), "cairn.lock") != NULL)
		bail("parse");
	lockfile_outs(&l, &lk);
	is_int(l.n, 1, "one output (dependencies are not outputs)");
	if (l.n == 1) {
		is_str(l.v[0].rel, "model.pkl", "its path");
		is_str(l.v[0].ptr_rel, "cairn.lock", "recorded in cairn.lock");
		ok(l.v[0].ptr->type == PTR_FILE && l.v[0].ptr->exec && l.v[0].ptr->size == 3,
		   "its pointer");
	}
	out_list_release(&l);
	lockfile_release(&lk);
}

int main(void)
{
	TAP_RUN(test_lockfile__roundtrip);
	TAP_RUN(test_lockfile__errors);
	TAP_RUN(test_lockfile__hostile_sizes);
	TAP_RUN(test_lockfile__sorted);
	TAP_RUN(test_lockfile__outs);
	return tap_done();
}
