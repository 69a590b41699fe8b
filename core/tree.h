/*
 * tree.h: an in-memory directory tree, from a workspace scan or from the
 * manifests in the cache, with the Merkle ids of DESIGN 5. Sealing computes
 * the manifest of every folder bottom-up (and can store them in the cache);
 * loading validates every manifest before anything uses it. Not thread-safe.
 */
#ifndef CAIRN_CORE_TREE_H
#define CAIRN_CORE_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/manifest.h"
#include "core/oid.h"

#define TREE_MAX_DEPTH 256
/*
 * Entries (files, symlinks, folders) tree_load builds for one tracked
 * folder: manifests may name one sub-manifest many times, so a few small
 * objects can declare billions of files; past this (some GiB of memory)
 * the folder is refused instead of exhausting memory.
 */
#define TREE_MAX_ENTRIES 20000000

struct cache;

enum tree_type {
	TREE_FILE = MANIFEST_FILE,
	TREE_DIR = MANIFEST_DIR,
	TREE_SYMLINK = MANIFEST_SYMLINK,
	TREE_OTHER, /* workspace only: a special file or an unstorable name */
};

struct tree;

struct tree_entry {
	char *name;
	enum tree_type type;
	bool exec;          /* file only */
	bool known;         /* id is valid */
	struct oid id;      /* file content, or dir manifest */
	uint64_t size;      /* file bytes; dir: sum below */
	uint64_t nfiles;    /* dir: files and symlinks below */
	char *target;       /* symlink only */
	struct tree *sub;   /* dir children */
	/* workspace scans only */
	struct stat st;     /* lstat (files: of the file) */
	int64_t statted_ns; /* st was taken at or after this moment */
	bool cache_link;    /* a symlink into the cache standing for this file */
	bool dir_cached;    /* dir: id, size and nfiles come from the state; sub unhashed */
};

struct tree {
	struct tree_entry *e;
	size_t n, cap;
};

struct tree *tree_new(void);
void tree_free(struct tree *t);
struct tree_entry *tree_add(struct tree *t, const char *name, enum tree_type type);
/* Sort entries by name (bytewise), recursively. */
void tree_sort(struct tree *t);
const struct tree_entry *tree_find(const struct tree *t, const char *name);

/*
 * Compute every folder's manifest id bottom-up; with c, store the manifests
 * in the cache (children before parents). All files must be known, except
 * below folders marked dir_cached, which keep the id they carry.
 */
const struct cairn_error *tree_seal(struct oid *root, uint64_t *size, uint64_t *nfiles,
				    struct tree *t, struct cache *c);

/*
 * Load the tree of a root manifest from the cache, validating every manifest,
 * symlink target (followed through the tree's other symlinks, none may lead
 * out of it), depth, and that declared sizes and counts add up.
 * NOT_FOUND names a missing manifest.
 */
const struct cairn_error *tree_load(struct tree **out, const struct cache *c,
				    const struct oid *root);

/*
 * FORMAT naming the first symlink (its path: prefix, then the path in t)
 * that leaves t when followed, through t's other symlinks too: ".." above
 * the top, or a loop. Files, cache links included, end a path.
 */
const struct cairn_error *tree_check_links(const struct tree *t, const char *prefix);

/* Visit every file (type TREE_FILE) with its path relative to the tree root. */
typedef const struct cairn_error *(*tree_file_cb)(const char *path, struct tree_entry *e,
						  void *arg);
const struct cairn_error *tree_walk_files(struct tree *t, tree_file_cb cb, void *arg);

/* Differences between a recorded tree a and a workspace tree b, per file. */
enum tree_change {
	TREE_ADDED,    /* only in b */
	TREE_MODIFIED, /* in both, different content, type, target or exec bit */
	TREE_DELETED,  /* only in a */
};
typedef const struct cairn_error *(*tree_diff_cb)(const char *path, enum tree_change change,
						  const struct tree_entry *a,
						  const struct tree_entry *b, void *arg);
/*
 * Visit differences, expanding added and deleted folders down to their files
 * (an empty folder is reported itself). Folders with equal known ids are
 * skipped without descending.
 */
const struct cairn_error *tree_diff(const struct tree *a, const struct tree *b, tree_diff_cb cb,
				    void *arg);

/*
 * Load one manifest level: folder entries keep their ids with sub NULL
 * ("not loaded"), for tree_diff_lazy and listings that read only the
 * manifests they need. NOT_FOUND names a missing manifest.
 */
const struct cairn_error *tree_load_level(struct tree **out, const struct cache *c,
					  const struct oid *id);

/* Which paths a lazy diff visits: a folder is entered only when wanted. */
typedef bool (*tree_want_cb)(const char *path, bool is_dir, void *arg);

/*
 * tree_diff where known folders with sub NULL are loaded level by level
 * from c as the walk reaches them (and freed after), so only the manifests
 * on changed paths are read. With want, paths it refuses are not visited.
 */
const struct cairn_error *tree_diff_lazy(const struct tree *a, const struct tree *b,
					 const struct cache *c, tree_want_cb want,
					 void *want_arg, tree_diff_cb cb, void *arg);

#endif
