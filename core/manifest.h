/*
 * manifest.h: one level of a tracked directory's Merkle tree (DESIGN 5;
 * format in cairn-manifest(5)). Canonical JSON written with jansson (keys
 * sorted, compact, UTF-8); entries sorted bytewise by name. Parsing
 * validates every name, id and field, because manifests may come from a
 * hostile clone. Thread-safe per object.
 */
#ifndef CAIRN_CORE_MANIFEST_H
#define CAIRN_CORE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/oid.h"

#define MANIFEST_MAX_BYTES (256u << 20)

enum manifest_type { MANIFEST_FILE, MANIFEST_DIR, MANIFEST_SYMLINK };

struct manifest_entry {
	char *name;              /* one valid component */
	enum manifest_type type; /* file, dir or symlink */
	struct oid id;           /* file: content; dir: its manifest (unused for symlinks) */
	uint64_t size;           /* file: bytes; dir: sum over files below */
	uint64_t nfiles;         /* dir: files and symlinks below */
	bool exec;               /* file only */
	char *target;            /* symlink only */
};

struct manifest {
	struct manifest_entry *entries;
	size_t n, cap;
};

#define MANIFEST_INIT { NULL, 0, 0 }

void manifest_init(struct manifest *m);
void manifest_release(struct manifest *m);

/* Append an entry (takes copies of name and target). */
struct manifest_entry *manifest_add(struct manifest *m, const char *name,
				    enum manifest_type type);
/* Sort entries by name; a duplicate name is an EXISTS error naming it. */
const struct cairn_error *manifest_sort(struct manifest *m);

/* Canonical bytes of a manifest (entries must be sorted). */
void manifest_format(struct buf *out, const struct manifest *m);

/* Parse and validate; what names the object in messages. */
const struct cairn_error *manifest_parse(struct manifest *m, const char *data, size_t len,
					 const char *what);

/* Binary search by name; NULL when absent. */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *name);

#endif
