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
	size_t idx; /* position in file order */
};

/*
 * Path order: '/' sorts below every other byte, so a path is followed by
 * everything inside it ("a", "a/b", "a-b"), and any two overlapping
 * outputs have an overlapping neighbour. Equal paths keep file order.
 */
static int dag_path_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; *x && *x == *y; x++, y++)
		;
	if (*x == *y)
		return 0;
	return (*x == '/' ? 1 : *x ? *x + 1 : 0) - (*y == '/' ? 1 : *y ? *y + 1 : 0);
}

static int dag_out_cmp(const void *a, const void *b)
{
	const struct dag_out *x = a, *y = b;
	int c = dag_path_cmp(x->rel, y->rel);

	return c ? c : x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int dag_idx_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The first output not below path in path order. */
static size_t dag_lower(const struct dag_out *o, size_t n, const char *path)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dag_path_cmp(o[mid].rel, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

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
			v[*n].idx = *n;
			(*n)++;
		}
	}
	return v;
}

/* o sorted in path order: neighbours are enough (no pair scan: quadratic). */
static const struct cairn_error *dag_check_outputs(const struct pipeline *p,
						   const struct dag_out *o, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		const struct dag_out *a = &o[i], *b = &o[i + 1];
		const char *sa = p->v[a->stage].name, *sb = p->v[b->stage].name;

		switch (dag_overlap(a->rel, b->rel)) {
		case DAG_SAME:
			if (a->stage == b->stage)
				return err_new(CAIRN_ERR_FORMAT, "stage '%s' names output '%s' twice",
					       sa, a->rel);
			return err_new(CAIRN_ERR_FORMAT,
				       "output '%s' is produced by two stages: '%s' and '%s'", a->rel,
				       sa, sb);
		case DAG_A_INSIDE_B:
			return err_new(CAIRN_ERR_FORMAT,
				       "output '%s' of stage '%s' is inside output '%s' of stage '%s'",
				       a->rel, sa, b->rel, sb);
		case DAG_B_INSIDE_A:
			return err_new(CAIRN_ERR_FORMAT,
				       "output '%s' of stage '%s' is inside output '%s' of stage '%s'",
				       b->rel, sb, a->rel, sa);
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

/* A min-heap of stage indexes. */
static void dag_heap_push(size_t *h, size_t *n, size_t v)
{
	size_t i = (*n)++;

	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static size_t dag_heap_pop(size_t *h, size_t *n)
{
	size_t top = h[0], v = h[--*n], i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = v;
	return top;
}

static void dag_toposort(struct dag *d)
{
	size_t *indeg = xcalloc(d->n ? d->n : 1, sizeof(size_t));
	size_t *heap = xcalloc(d->n ? d->n : 1, sizeof(size_t));
	size_t i, k, filled = 0, nh = 0;

	d->order = xcalloc(d->n ? d->n : 1, sizeof(size_t));
	for (i = 0; i < d->n; i++)
		if ((indeg[i] = d->up[i].n) == 0)
			dag_heap_push(heap, &nh, i);
	while (filled < d->n) {
		/* the first ready stage in file order: stable and readable */
		if (nh == 0)
			abort(); /* a cycle survived dag_find_cycle */
		i = dag_heap_pop(heap, &nh);
		d->order[filled++] = i;
		for (k = 0; k < d->down[i].n; k++)
			if (--indeg[d->down[i].v[k]] == 0)
				dag_heap_push(heap, &nh, d->down[i].v[k]);
	}
	free(indeg);
	free(heap);
}

const struct cairn_error *dag_build(struct dag *d, const struct pipeline *p)
{
	const struct cairn_error *e;
	struct dag_out *outs;
	size_t nouts, i, j, k, nm = 0, capm = 0, *match = NULL, *mark, *stage_of;
	struct buf pre = BUF_INIT;

	memset(d, 0, sizeof(*d));
	d->p = p;
	d->n = p->n;
	d->up = xcalloc(p->n ? p->n : 1, sizeof(*d->up));
	d->down = xcalloc(p->n ? p->n : 1, sizeof(*d->down));
	mark = xcalloc(p->n ? p->n : 1, sizeof(*mark)); /* i + 1: edge i -> stage made */
	buf_init(&pre);
	outs = dag_outputs(p, &nouts);
	stage_of = xcalloc(nouts ? nouts : 1, sizeof(*stage_of));
	for (k = 0; k < nouts; k++)
		stage_of[k] = outs[k].stage;
	if (nouts > 1)
		qsort(outs, nouts, sizeof(*outs), dag_out_cmp);
	if ((e = dag_check_outputs(p, outs, nouts)) != NULL)
		goto fail;
	for (i = 0; i < p->n; i++) {
		const struct stage *s = &p->v[i];

		for (j = 0; j < s->ndeps; j++) {
			const char *dep = s->deps[j].rel, *c;

			if (s->deps[j].external)
				continue;
			/* the outputs overlapping dep, in file order: dep and its parents... */
			nm = 0;
			for (c = dep;; c++) {
				if (*c != '/' && *c != '\0')
					continue;
				buf_reset(&pre);
				buf_add(&pre, dep, (size_t)(c - dep));
				for (k = dag_lower(outs, nouts, pre.s);
				     k < nouts && strcmp(outs[k].rel, pre.s) == 0; k++) {
					XGROW(match, nm + 1, capm);
					match[nm++] = k;
				}
				if (*c == '\0')
					break;
			}
			/* ...and what lies inside it, right after it in path order */
			for (k = dag_lower(outs, nouts, dep); k < nouts; k++) {
				enum dag_overlap ov = dag_overlap(outs[k].rel, dep);

				if (ov == DAG_SAME)
					continue;
				if (ov != DAG_A_INSIDE_B)
					break;
				XGROW(match, nm + 1, capm);
				match[nm++] = k;
			}
			/* in file order, as the edges always were made */
			for (k = 0; k < nm; k++)
				match[k] = outs[match[k]].idx;
			if (nm > 1)
				qsort(match, nm, sizeof(*match), dag_idx_cmp);
			for (k = 0; k < nm; k++) {
				size_t st = stage_of[match[k]];

				if (st == i) {
					e = err_new(CAIRN_ERR_FORMAT,
						    "stage '%s' depends on its own output '%s'", s->name,
						    dep);
					goto fail;
				}
				if (mark[st] != i + 1) {
					mark[st] = i + 1;
					dag_edge_add(&d->up[i], st);
					dag_edge_add(&d->down[st], i);
				}
			}
		}
	}
	if ((e = dag_find_cycle(d)) != NULL)
		goto fail;
	free(outs);
	free(stage_of);
	free(match);
	free(mark);
	buf_release(&pre);
	dag_toposort(d);
	return NULL;
fail:
	free(outs);
	free(stage_of);
	free(match);
	free(mark);
	buf_release(&pre);
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
