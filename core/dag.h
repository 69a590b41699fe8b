/*
 * dag.h: the graph of a pipeline's stages. A stage depends on another when
 * one of its dependencies is, contains or lies inside one of the other's
 * outputs. Building the graph refuses, changing nothing: two stages with the
 * same output, an output inside another output, a stage depending on its own
 * output, and cycles (named in order: "a -> b -> c -> a"). Iterative, so a
 * deep or hostile graph cannot overflow the stack. Not thread-safe.
 */
#ifndef CAIRN_CORE_DAG_H
#define CAIRN_CORE_DAG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct pipeline;

struct dag_edges {
	size_t *v; /* stage indexes */
	size_t n, cap;
};

struct dag {
	const struct pipeline *p; /* borrowed */
	size_t n;                 /* stages */
	struct dag_edges *up;     /* per stage: the stages it depends on */
	struct dag_edges *down;   /* per stage: the stages that depend on it */
	size_t *order;            /* every stage, dependencies first, file order among equals */
};

/* How two root-relative paths relate. */
enum dag_overlap { DAG_DISJOINT, DAG_SAME, DAG_A_INSIDE_B, DAG_B_INSIDE_A };
enum dag_overlap dag_overlap(const char *a, const char *b);

/* Build and check the graph of p (which must outlive d). FORMAT errors. */
const struct cairn_error *dag_build(struct dag *d, const struct pipeline *p);
void dag_release(struct dag *d);

/* Mark in sel[] the stages in targets and everything they depend on (sel has d->n slots). */
void dag_select_upstream(bool *sel, const struct dag *d, const size_t *targets, size_t n);

/* The stage whose output (out or metric) is, or contains, rel; -1 when none. */
long dag_producer(const struct dag *d, const char *rel);

#endif
