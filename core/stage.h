/*
 * stage.h: the pipeline file cairn.yaml (DESIGN 9; cairn.yaml(5)) as a
 * model: stages with their command, dependencies, parameters, outputs,
 * metrics, working folder and Docker image. Parsed with libyaml; every error
 * names "cairn.yaml:LINE:COLUMN". Paths are normalised to the work tree root;
 * a dependency given as an absolute path outside the work tree is external.
 * stage add appends to the file's text so comments survive. Thread-safe per
 * object.
 */
#ifndef CAIRN_CORE_STAGE_H
#define CAIRN_CORE_STAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define STAGE_FILE "cairn.yaml"
#define STAGE_MAX_BYTES (4u << 20)

struct repo;

struct stage_path {
	char *path;         /* as written in cairn.yaml */
	char *rel;          /* relative to the root ('/'-separated), or absolute when external */
	bool external;      /* a dependency outside the work tree */
	unsigned long line; /* position in cairn.yaml, 1-based */
	unsigned long col;
};

struct stage_param {
	char *file; /* params file relative to the root */
	char *key;  /* dotted key, or NULL for the whole file */
};

struct stage {
	char *name;
	char **cmd;                 /* one or more commands, run in order */
	size_t ncmd;
	char *wdir;                 /* relative to the root, "" for the root */
	struct stage_path *deps;
	size_t ndeps;
	struct stage_path *outs;    /* cached outputs */
	size_t nouts;
	struct stage_path *metrics; /* outputs kept in Git */
	size_t nmetrics;
	struct stage_param *params;
	size_t nparams;
	char *image;                /* Docker image, or NULL */
	bool always_changed;        /* run on every repro */
	bool frozen;                /* never run */
	unsigned long line, col;    /* of the stage's name */
};

struct pipeline {
	struct stage *v;  /* in file order */
	size_t n, cap;
	bool exists;      /* cairn.yaml was found */
	size_t *byname;   /* pipeline_parse's index of v by name, for pipeline_find */
	size_t nbyname;   /* stages indexed (unused once n differs) */
};

#define PIPELINE_INIT { NULL, 0, 0, false, NULL, 0 }

void pipeline_release(struct pipeline *p);

/*
 * Parse cairn.yaml text. root (the work tree, absolute) turns absolute paths
 * inside it into relative ones; NULL leaves every absolute path external.
 * FORMAT errors read "NAME:LINE:COL: problem".
 */
const struct cairn_error *pipeline_parse(struct pipeline *p, const char *data, size_t len,
					 const char *name, const char *root);

/* Read <root>/cairn.yaml; a missing file is an empty pipeline (exists false). */
const struct cairn_error *pipeline_load(struct pipeline *p, struct repo *r);

/* The stage called name, or NULL. */
struct stage *pipeline_find(const struct pipeline *p, const char *name);

/* NULL when name may name a stage (letters, digits, '_', '-', '.'), else a reason. */
const char *stage_name_check(const char *name);
/*
 * Why no stage may produce rel (normalised, relative to the root): cairn.yaml,
 * cairn.lock, a pointer file or a .gitignore file, which cairn itself writes;
 * NULL when it may.
 */
const char *stage_reserved(const char *rel);

/*
 * Normalise path (relative to wdir, or absolute) against the work tree root:
 * *rel gets the root-relative path, or the absolute one with *external set
 * when it is absolute and outside root. A relative path leaving the work
 * tree, or one inside .git or .cairn, is an error (FAILED). Caller frees *rel.
 */
const struct cairn_error *stage_norm_path(char **rel, bool *external, const char *wdir,
					  const char *path, const char *root);

/* The text of one stage as a YAML mapping entry "name:\n  cmd: ...", indented by indent. */
const struct cairn_error *stage_format(struct buf *out, const struct stage *s, int indent);

/*
 * The text of cairn.yaml (old, may be empty) with stage s added at the end
 * of its stages, keeping everything else byte for byte.
 */
const struct cairn_error *pipeline_append(struct buf *out, const char *old, size_t len,
					  const struct stage *s);

/*
 * Add stage s to <root>/cairn.yaml (replace one of the same name with
 * force), after checking that the whole new pipeline still parses and forms
 * a valid graph (no cycle, no overlapping outputs); on any error the file is
 * left as it was. Written atomically.
 */
const struct cairn_error *pipeline_add(struct repo *r, const struct stage *s, bool force);

/* Free a stage built by a caller (every field owned). */
void stage_release(struct stage *s);

#endif
