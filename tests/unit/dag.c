/*
 * tests/unit/dag.c: the pipeline graph: diamonds in run order, cycles named
 * in order (also a long one, without deep recursion), self-dependencies,
 * duplicate and nested outputs, producers of paths, upstream selection.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
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

/*
 * A hostile cairn.yaml of many stages: every output was compared with every
 * other one, every dependency with every output, and the run order picked
 * by a scan per stage (20,000 stages: 3 s; the 4 MB a cairn.yaml may hold:
 * minutes). Outputs are now sorted in path order ('/' first), where
 * overlapping outputs are neighbours.
 */
static void test_dag__many_stages(void)
{
	struct pipeline p;
	struct dag d;
	struct buf b = BUF_INIT;
	const struct cairn_error *e;
	size_t i, inorder = 0;

	buf_init(&b);
	buf_adds(&b, "stages:\n");
	for (i = 0; i < 100000; i++) /* a chain, listed from its end */
		buf_addf(&b, "  s%zu: {cmd: x, deps: [o%zu/f], outs: [o%zu]}\n", 99999 - i,
			 99999 - i - 1, 99999 - i);
	ok_noerr(build(&p, &d, b.s), "100,000 stages in a chain");
	for (i = 0; i < d.n; i++)
		inorder += strcmp(p.v[d.order[i]].name + 1, "") != 0 &&
			   (size_t)atol(p.v[d.order[i]].name + 1) == i;
	is_int(inorder, 100000, "run in chain order");
	dag_release(&d);
	pipeline_release(&p);
	buf_release(&b);
	/* neighbours in path order: "a" < "a/c" < "a-b" */
	e = build(&p, &d, "stages:\n  x: {cmd: x, outs: [a]}\n  y: {cmd: x, outs: [a-b]}\n"
			  "  z: {cmd: x, outs: [a/c]}\n");
	ok(e && strstr(e->msg, "output 'a/c' of stage 'z' is inside output 'a' of stage 'x'"),
	   "an output inside another, with a sibling between them bytewise");
	pipeline_release(&p);
	e = build(&p, &d, "stages:\n  x: {cmd: x, outs: [q, a]}\n  y: {cmd: x, outs: [a]}\n");
	ok(e && strstr(e->msg, "output 'a' is produced by two stages: 'x' and 'y'"),
	   "two stages, named in file order");
	pipeline_release(&p);
	ok_noerr(build(&p, &d, "stages:\n  u: {cmd: x, deps: [d, d/x/y, e], outs: [u]}\n"
			       "  w: {cmd: x, outs: [d/x]}\n  v: {cmd: x, outs: [d-1, d/a]}\n"
			       "  t: {cmd: x, outs: [e/1]}\n"),
		 "dependencies on folders, files inside outputs, and neighbours");
	is_int(d.up[0].n, 3, "u depends on w, v and t once each");
	ok(d.up[0].n == 3 && d.up[0].v[0] == 1 && d.up[0].v[1] == 2 && d.up[0].v[2] == 3,
	   "in file order");
	dag_release(&d);
	pipeline_release(&p);
}

int main(void)
{
	TAP_RUN(test_dag__diamond);
	TAP_RUN(test_dag__cycles);
	TAP_RUN(test_dag__outputs);
	TAP_RUN(test_dag__many_stages);
	return tap_done();
}
