/*
 * dag.c: cairn dag [--dot]: print the pipeline's stages in the order they
 * run, each with the stages it depends on, or the graph in Graphviz form.
 * See cairn-dag(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>

#include "core/dag.h"
#include "core/stage.h"

static const struct opt_spec dag_opts[] = {
	{ 0, "dot", NULL, "print the graph in Graphviz dot syntax" },
	{ 0, NULL, NULL, NULL },
};

enum { DAG_DOT };

static const struct cairn_error *cmd_dag(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct pipeline p;
	struct dag d;
	size_t k, j;

	if ((e = pipeline_load(&p, c->repo)) != NULL)
		return e;
	if ((e = dag_build(&d, &p)) != NULL) {
		pipeline_release(&p);
		return err_wrap(e, "%s", STAGE_FILE);
	}
	if (opt_given(c, DAG_DOT)) {
		printf("digraph pipeline {\n");
		for (k = 0; k < d.n; k++)
			printf("  \"%s\";\n", p.v[d.order[k]].name);
		for (k = 0; k < d.n; k++)
			for (j = 0; j < d.down[d.order[k]].n; j++)
				printf("  \"%s\" -> \"%s\";\n", p.v[d.order[k]].name,
				       p.v[d.down[d.order[k]].v[j]].name);
		printf("}\n");
	} else {
		for (k = 0; k < d.n; k++) {
			size_t i = d.order[k];

			printf("%s", p.v[i].name);
			for (j = 0; j < d.up[i].n; j++)
				printf("%s%s", j ? ", " : " <- ", p.v[d.up[i].v[j]].name);
			printf("\n");
		}
	}
	dag_release(&d);
	pipeline_release(&p);
	return NULL;
}

const struct cmd_entry cmd_dag_entry = {
	.name = "dag",
	.args = "",
	.summary = "show the pipeline's stages in run order with their dependencies",
	.opts = dag_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_dag,
};
