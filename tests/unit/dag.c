/*
 * tests/unit/dag.c: the pipeline graph: diamonds in run order, cycles named
 * in order (also a long one, without deep recursion), self-dependencies,
 * duplicate and nested outputs, producers of paths, upstream selection.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dag.h"
#include "core/stage.h"
#include "tests/unit/tap.h"

static const struct cairn_error *build(struct pipeline *p, struct dag *d, const char *yaml)
{
	const struct cairn_error *e = pipeline_parse(p, yaml, strlen(yaml), "cairn.yaml", NULL);

	if (e)
		bail("parse: %s", e->msg);
	return dag_build(d, p);
}

static void test_dag__diamond(void)
{
	struct pipeline p;
	struct dag d;
	bool sel[4] = { false };
	size_t t = 1;

	ok_noerr(build(&p, &d,
		       "stages:\n"
		       "  d: {cmd: x, deps: [b.out, c/dir], outs: [d.out]}\n"
		       "  b: {cmd: x, deps: [a/f], outs: [b.out]}\n"
		       "  c: {cmd: x, deps: [a], outs: [c]}\n"
		       "  a: {cmd: x, outs: [a]}\n"),
		 "a diamond builds");
	is_str(p.v[d.order[0]].name, "a", "a first");
	is_str(p.v[d.order[1]].name, "b", "then b (file order)");
	is_str(p.v[d.order[2]].name, "c", "then c");
	is_str(p.v[d.order[3]].name, "d", "d last");
	is_int(d.up[0].n, 2, "d depends on two stages (a file in c's folder counts)");
	is_int(dag_producer(&d, "a/f"), 3, "a file inside an output is produced by its stage");
	is_int(dag_producer(&d, "nothing"), -1, "no producer");
	dag_select_upstream(sel, &d, &t, 1);
	ok(sel[1] && sel[3] && !sel[0] && !sel[2], "upstream of b is b and a");
	dag_release(&d);
	pipeline_release(&p);
}

static void test_dag__cycles(void)
{
	struct pipeline p;
	struct dag d;
	const struct cairn_error *e;
	char *big;
	size_t i, len = 0;

	e = build(&p, &d,
		  "stages:\n  s1: {cmd: x, deps: [foo], outs: [bar]}\n"
		  "  s2: {cmd: x, deps: [bar], outs: [baz]}\n"
		  "  s3: {cmd: x, deps: [baz], outs: [foo]}\n");
	is_err(e, CAIRN_ERR_FORMAT, "a three-stage cycle");
	is_str(e ? e->msg : NULL, "circular dependency: s1 -> s2 -> s3 -> s1", "named in order");
	pipeline_release(&p);
	e = build(&p, &d, "stages:\n  s: {cmd: x, deps: [a/b], outs: [a]}\n");
	is_str(e ? e->msg : NULL, "stage 's' depends on its own output 'a/b'", "a self-loop");
	pipeline_release(&p);
	/* a 3000-stage ring: no recursion, no stack overflow */
	big = malloc(3000 * 64 + 16);
	len = (size_t)sprintf(big, "stages:\n");
	for (i = 0; i < 3000; i++)
		len += (size_t)sprintf(big + len, "  s%zu: {cmd: x, deps: [f%zu], outs: [f%zu]}\n", i,
				       i, (i + 1) % 3000);
	e = build(&p, &d, big);
	ok(e && strncmp(e->msg, "circular dependency: s0 -> s1 -> s2 -> ", 39) == 0 &&
		   strcmp(e->msg + strlen(e->msg) - 14, "s2999 -> s0") != 0,
	   "a long cycle is found, in order");
	free(big);
	pipeline_release(&p);
}

static void test_dag__outputs(void)
{
	struct pipeline p;
	struct dag d;
	const struct cairn_error *e;

	e = build(&p, &d, "stages:\n  a: {cmd: x, outs: [o]}\n  b: {cmd: x, metrics: [o]}\n");
	is_str(e ? e->msg : NULL, "output 'o' is produced by two stages: 'a' and 'b'", "duplicate");
	pipeline_release(&p);
	e = build(&p, &d, "stages:\n  a: {cmd: x, outs: [o/p]}\n  b: {cmd: x, outs: [o]}\n");
	is_str(e ? e->msg : NULL, "output 'o/p' of stage 'a' is inside output 'o' of stage 'b'",
	       "nested");
	pipeline_release(&p);
	e = build(&p, &d, "stages:\n  a: {cmd: x, outs: [o, o]}\n");
	is_str(e ? e->msg : NULL, "stage 'a' names output 'o' twice", "twice in one stage");
	pipeline_release(&p);
	is_int(dag_overlap("a/b", "a"), DAG_A_INSIDE_B, "inside");
	is_int(dag_overlap("ab", "a"), DAG_DISJOINT, "a prefix is not a parent");
}

int main(void)
{
	TAP_RUN(test_dag__diamond);
	TAP_RUN(test_dag__cycles);
	TAP_RUN(test_dag__outputs);
	return tap_done();
}
