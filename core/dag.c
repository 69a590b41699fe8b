/*
 * dag.c: pipeline graph, overlap checks and cycle detection (an explicit
 * stack of stage indexes; white/grey/black colouring).
 */
#include "buildconf.h"

#include "core/dag.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/stage.h"
#include "core/xmalloc.h"

enum dag_overlap dag_overlap(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (strcmp(a, b) == 0)
		return DAG_SAME;
	if (la > lb && strncmp(a, b, lb) == 0 && a[lb] == '/')
		return DAG_A_INSIDE_B;
	if (lb > la && strncmp(a, b, la) == 0 && b[la] == '/')
		return DAG_B_INSIDE_A;
	return DAG_DISJOINT;
}

static void dag_edge_add(struct dag_edges *e, size_t to)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->v[i] == to)
			return;
	XGROW(e->v, e->n + 1, e->cap);
	e->v[e->n++] = to;
}

void dag_release(struct dag *d)
{
	size_t i;

	for (i = 0; d->up && i < d->n; i++) {
		free(d->up[i].v);
		free(d->down[i].v);
	}
	free(d->up);
	free(d->down);
	free(d->order);
	memset(d, 0, sizeof(*d));
}

struct dag_out {
	const char *rel;
	size_t stage;
};

/* Every output and metric of every stage, with the stage that declares it. */
static struct dag_out *dag_outputs(const struct pipeline *p, size_t *n)
{
	struct dag_out *v = NULL;
	size_t cap = 0, i, j;

	*n = 0;
	for (i = 0; i < p->n; i++) {
		const struct stage *s = &p->v[i];

		for (j = 0; j < s->nouts + s->nmetrics; j++) {
			XGROW(v, *n + 1, cap);
			v[*n].rel = j < s->nouts ? s->outs[j].rel : s->metrics[j - s->nouts].rel;
			v[*n].stage = i;
			(*n)++;
		}
	}
	return v;
}

static const struct cairn_error *dag_check_outputs(const struct pipeline *p,
						   const struct dag_out *o, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const char *si = p->v[o[i].stage].name, *sj = p->v[o[j].stage].name;

			switch (dag_overlap(o[i].rel, o[j].rel)) {
			case DAG_SAME:
				if (o[i].stage == o[j].stage)
					return err_new(CAIRN_ERR_FORMAT,
						       "stage '%s' names output '%s' twice", si,
						       o[i].rel);
				return err_new(CAIRN_ERR_FORMAT,
					       "output '%s' is produced by two stages: '%s' and '%s'",
					       o[i].rel, si, sj);
			case DAG_A_INSIDE_B:
				return err_new(CAIRN_ERR_FORMAT,
					       "output '%s' of stage '%s' is inside output '%s' of stage '%s'",
					       o[i].rel, si, o[j].rel, sj);
			case DAG_B_INSIDE_A:
				return err_new(CAIRN_ERR_FORMAT,
					       "output '%s' of stage '%s' is inside output '%s' of stage '%s'",
					       o[j].rel, sj, o[i].rel, si);
			default:
				break;
			}
		}
	return NULL;
}

/* Find a cycle over the down edges; its stages in order go to the error. */
static const struct cairn_error *dag_find_cycle(const struct dag *d)
{
	unsigned char *color = xcalloc(d->n ? d->n : 1, 1); /* 0 white, 1 grey, 2 black */
	size_t *stack = xcalloc(d->n ? d->n : 1, sizeof(size_t));
	size_t *next = xcalloc(d->n ? d->n : 1, sizeof(size_t)); /* next edge to follow */
	const struct cairn_error *e = NULL;
	size_t start, top;

	for (start = 0; start < d->n && e == NULL; start++) {
		if (color[start])
			continue;
		top = 0;
		stack[top++] = start;
		color[start] = 1;
		next[start] = 0;
		while (top && e == NULL) {
			size_t u = stack[top - 1];

			if (next[u] < d->down[u].n) {
				size_t v = d->down[u].v[next[u]++];

				if (color[v] == 0) {
					color[v] = 1;
					next[v] = 0;
					stack[top++] = v;
				} else if (color[v] == 1) {
					struct buf b = BUF_INIT;
					size_t k = 0;

					buf_init(&b);
					while (stack[k] != v)
						k++;
					for (; k < top; k++)
						buf_addf(&b, "%s -> ", d->p->v[stack[k]].name);
					buf_adds(&b, d->p->v[v].name);
					e = err_new(CAIRN_ERR_FORMAT, "circular dependency: %s", b.s);
					buf_release(&b);
				}
			} else {
				color[u] = 2;
				top--;
			}
		}
	}
	free(color);
	free(stack);
	free(next);
	return e;
}

static void dag_toposort(struct dag *d)
{
	size_t *indeg = xcalloc(d->n ? d->n : 1, sizeof(size_t));
	bool *done = xcalloc(d->n ? d->n : 1, sizeof(bool));
	size_t i, k, filled = 0;

	d->order = xcalloc(d->n ? d->n : 1, sizeof(size_t));
	for (i = 0; i < d->n; i++)
		indeg[i] = d->up[i].n;
	while (filled < d->n) {
		/* the first ready stage in file order: stable and readable */
		for (i = 0; i < d->n; i++)
			if (!done[i] && indeg[i] == 0)
				break;
		if (i == d->n)
			abort(); /* a cycle survived dag_find_cycle */
		done[i] = true;
		d->order[filled++] = i;
		for (k = 0; k < d->down[i].n; k++)
			indeg[d->down[i].v[k]]--;
	}
	free(indeg);
	free(done);
}

const struct cairn_error *dag_build(struct dag *d, const struct pipeline *p)
{
	const struct cairn_error *e;
	struct dag_out *outs;
	size_t nouts, i, j, k;

	memset(d, 0, sizeof(*d));
	d->p = p;
	d->n = p->n;
	d->up = xcalloc(p->n ? p->n : 1, sizeof(*d->up));
	d->down = xcalloc(p->n ? p->n : 1, sizeof(*d->down));
	outs = dag_outputs(p, &nouts);
	if ((e = dag_check_outputs(p, outs, nouts)) != NULL)
		goto fail;
	for (i = 0; i < p->n; i++) {
		const struct stage *s = &p->v[i];

		for (j = 0; j < s->ndeps; j++) {
			if (s->deps[j].external)
				continue;
			for (k = 0; k < nouts; k++) {
				if (dag_overlap(s->deps[j].rel, outs[k].rel) == DAG_DISJOINT)
					continue;
				if (outs[k].stage == i) {
					e = err_new(CAIRN_ERR_FORMAT,
						    "stage '%s' depends on its own output '%s'", s->name,
						    s->deps[j].rel);
					goto fail;
				}
				dag_edge_add(&d->up[i], outs[k].stage);
				dag_edge_add(&d->down[outs[k].stage], i);
			}
		}
	}
	if ((e = dag_find_cycle(d)) != NULL)
		goto fail;
	free(outs);
	dag_toposort(d);
	return NULL;
fail:
	free(outs);
	dag_release(d);
	return e;
}

void dag_select_upstream(bool *sel, const struct dag *d, const size_t *targets, size_t n)
{
	size_t *stack = xcalloc(d->n ? d->n : 1, sizeof(size_t)), top = 0, i;

	for (i = 0; i < n; i++)
		if (!sel[targets[i]]) {
			sel[targets[i]] = true;
			stack[top++] = targets[i];
		}
	while (top) {
		size_t u = stack[--top];

		for (i = 0; i < d->up[u].n; i++)
			if (!sel[d->up[u].v[i]]) {
				sel[d->up[u].v[i]] = true;
				stack[top++] = d->up[u].v[i];
			}
	}
	free(stack);
}

long dag_producer(const struct dag *d, const char *rel)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		const struct stage *s = &d->p->v[i];

		for (j = 0; j < s->nouts + s->nmetrics; j++) {
			const char *o = j < s->nouts ? s->outs[j].rel : s->metrics[j - s->nouts].rel;
			enum dag_overlap ov = dag_overlap(rel, o);

			if (ov == DAG_SAME || ov == DAG_A_INSIDE_B)
				return (long)i;
		}
	}
	return -1;
}
