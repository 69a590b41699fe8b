/*
 * rev.h: cairn's files as they are in a Git revision or in the Git index,
 * read straight from Git objects with libgit2, never by checking out
 * (DESIGN 8): one file's bytes (cairn.yaml, cairn.lock, params), and every
 * pointer file of a commit's tree or of the index, parsed and validated as
 * struct out (core/out.h). Used by diff, ls, gc scopes, fetch/push --rev,
 * params/metrics diff and experiments. Not thread-safe (one repository).
 */
#ifndef CAIRN_CORE_REV_H
#define CAIRN_CORE_REV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct repo;
struct out_list;
struct oidset;

#define REV_HEXLEN 40

/*
 * Resolve a revision expression (HEAD, a branch, a tag, an abbreviated id,
 * HEAD~2, ...) to the id of the commit it names, in hex. NOT_FOUND names an
 * unknown revision; a revision that is not a commit (a tree, a blob) is a
 * USAGE error.
 */
const struct cairn_error *rev_resolve(char hex[REV_HEXLEN + 1], struct repo *r, const char *spec);

/*
 * Append to out the bytes of path (relative to the work tree root, '/'
 * separators) in the tree of revision spec. *found is false, and nothing is
 * appended, when the path does not exist there or is not a regular file.
 * A blob larger than max bytes is a FORMAT error.
 */
const struct cairn_error *rev_read_file(struct buf *out, bool *found, struct repo *r,
					const char *spec, const char *path, size_t max);

/*
 * Every pointer file (*.cairn, a regular blob) in the tree of revision spec,
 * parsed into l (ptr_rel, rel, dir, name, ptr; sorted by rel). A malformed
 * pointer is a FORMAT error naming it and the revision.
 */
const struct cairn_error *rev_pointers(struct out_list *l, struct repo *r, const char *spec);

/*
 * rev_pointers for walks over many revisions: Git trees and pointer blobs
 * already in seen (Git ids, zero-padded) are skipped, and the new ones
 * added, so each pointer file of a history is parsed once and a subtree
 * shared by many commits is read once. What is appended is only what this
 * revision adds. seen starts empty (oidset_init) and belongs to the caller.
 */
const struct cairn_error *rev_pointers_unseen(struct out_list *l, struct repo *r, const char *spec,
					      struct oidset *seen);

/*
 * A pointer file read from Git that does not parse (merge conflict markers,
 * a typo): its path, the FORMAT error naming it and where it was read, and
 * its text.
 */
typedef void (*rev_bad_cb)(const char *ptr_rel, const struct cairn_error *e, const char *text,
			   size_t len, void *arg);

/*
 * rev_pointers_unseen where, with bad set, a pointer that does not parse is
 * handed to bad instead of being an error (gc keeps what history names).
 */
const struct cairn_error *rev_pointers_lenient(struct out_list *l, struct repo *r,
					       const char *spec, struct oidset *seen,
					       rev_bad_cb bad, void *arg);

/*
 * The pointer files of the Git index: stage 0 and, during a merge
 * conflict, the base, ours and theirs stages (1-3) too, so a path may come
 * more than once. bad as for rev_pointers_lenient (may be NULL).
 */
const struct cairn_error *rev_index_pointers(struct out_list *l, struct repo *r, rev_bad_cb bad,
					     void *arg);

/* The bytes of path in the Git index at stage (0; 1-3 in a conflict), as rev_read_file. */
const struct cairn_error *rev_index_read_file(struct buf *out, bool *found, struct repo *r,
					      const char *path, int stage, size_t max);

/* The bytes of path staged (stage 0) in the index file at index_path (NULL: the repository's). */
const struct cairn_error *rev_index_file_read(struct buf *out, bool *found, struct repo *r,
					      const char *index_path, const char *path, size_t max);

/*
 * The pointer files staged (stage 0) in the index file at path (a hook's
 * GIT_INDEX_FILE, which may be a temporary index); NULL is the repository's
 * index. A malformed one is an error.
 */
const struct cairn_error *rev_index_file_pointers(struct out_list *l, struct repo *r,
						  const char *path);

#endif
