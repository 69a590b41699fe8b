/*
 * ptr.h: pointer files, PATH.cairn (DESIGN 4; format in cairn-pointer(5)).
 * YAML read and written with libyaml. A pointer tracks exactly one output;
 * unknown keys are kept when the pointer is rewritten, and known keys are
 * written in a fixed order so diffs stay small. Thread-safe per object.
 */
#ifndef CAIRN_CORE_PTR_H
#define CAIRN_CORE_PTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/oid.h"

#define PTR_SUFFIX ".cairn"
#define PTR_MAX_BYTES (64 * 1024)

enum ptr_type { PTR_FILE, PTR_DIR };

struct ptr {
	char *path;         /* the output: one component beside the pointer */
	enum ptr_type type; /* file or dir */
	struct oid id;      /* file content id, or root manifest id */
	uint64_t size;      /* bytes (dir: sum over files) */
	uint64_t nfiles;    /* dir only */
	bool exec;          /* file only */
	void *doc;          /* parsed yaml_document_t, for unknown keys; may be NULL */
};

/* A new pointer for output path (not validated). Free with ptr_free. */
struct ptr *ptr_new(const char *path, enum ptr_type type);
void ptr_free(struct ptr *p);

/*
 * Parse and validate pointer text. name is used in messages ("x.cairn").
 * FORMAT errors name the file and line.
 */
const struct cairn_error *ptr_parse(struct ptr **out, const char *data, size_t len,
				    const char *name);
/*
 * True when a line of data starts with a merge conflict marker (<<<<<<<,
 * =======, >>>>>>>, |||||||): a pointer, cairn.yaml or cairn.lock that Git
 * could not merge.
 */
bool ptr_has_conflict(const char *data, size_t len);

/*
 * Read and parse a pointer file without following a symlink at its name.
 * One with conflict markers gets a hint to resolve the conflict.
 */
const struct cairn_error *ptr_read_at(struct ptr **out, int dirfd, const char *file,
				      const char *display);

/* Serialise (known keys in order, then unknown ones) and append to out. */
const struct cairn_error *ptr_format(struct buf *out, const struct ptr *p);

#endif
