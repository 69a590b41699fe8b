/*
 * gcroots.h: the set of cache objects to keep, built from named scopes:
 * the workspace's pointers here; Git revisions, stashes, the index, other
 * worktrees and cairn.lock plug in by calling the same add functions under
 * their own scope. A folder root adds its whole Merkle tree (DESIGN 5):
 * every manifest below it, read from the cache with its hash checked, and
 * every object they name. What cannot be followed (a missing or corrupt
 * manifest, a missing member) is counted and reported through a callback,
 * so gc can refuse and fsck can report. Not thread-safe.
 */
#ifndef CAIRN_CORE_GCROOTS_H
#define CAIRN_CORE_GCROOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/oid.h"
#include "core/oidset.h"

struct cache;
struct ptr;
struct out_list;
struct repo;

enum gcroots_problem {
	GCROOTS_ABSENT,  /* a root itself is not in the cache (never fetched) */
	GCROOTS_MISSING, /* a manifest names an object that is not in the cache */
	GCROOTS_CORRUPT, /* a manifest does not hash to its name or does not parse */
	GCROOTS_MALFORMED, /* a pointer or cairn.lock did not parse: every id in it kept (id NULL) */
};

/*
 * path: where the object sits ("data/sub/x"); msg: one line for the user.
 * Missing members and absent file roots are only looked for (one stat
 * each) while a callback is set; unreadable manifests always count.
 */
typedef void (*gcroots_problem_cb)(enum gcroots_problem kind, const struct oid *id,
				   const char *path, const char *msg, void *arg);

/* What one scope kept. */
struct gcroots_scope {
	char *name;       /* "workspace", "HEAD", "stash", ... */
	size_t roots;     /* pointers (or other roots) added under it */
	size_t objects;   /* objects it added that no earlier scope had */
	size_t problems[4]; /* by enum gcroots_problem */
};

struct gcroots;

/* A new, empty root set reading manifests from c. Free with gcroots_free. */
struct gcroots *gcroots_new(const struct cache *c);
void gcroots_free(struct gcroots *g);
void gcroots_on_problem(struct gcroots *g, gcroots_problem_cb cb, void *arg);

/* Start a scope; what is added from now on counts under its name ("other" before any). */
void gcroots_scope(struct gcroots *g, const char *name);

/* Keep one object (a file's content). */
void gcroots_add_object(struct gcroots *g, const struct oid *id);
/* Keep a root manifest and everything below it; path names it in reports. */
void gcroots_add_tree(struct gcroots *g, const struct oid *root, const char *path);
/* Keep what a pointer names (one root); path is the output's path. */
void gcroots_add_ptr(struct gcroots *g, const struct ptr *p, const char *path);
/* Every pointer of a list (core/out.h: the workspace, a revision, the index). */
void gcroots_add_outs(struct gcroots *g, const struct out_list *l);
/*
 * A file from Git that should name data but does not parse (path, msg:
 * why): keep every object whose id it spells (core/oidset.h), a manifest
 * with its tree, and report it as GCROOTS_MALFORMED.
 */
void gcroots_add_text(struct gcroots *g, const char *text, size_t len, const char *path,
		      const char *msg);

/* The "workspace" scope: every pointer file of r's work tree (a malformed one is an error). */
const struct cairn_error *gcroots_add_workspace(struct gcroots *g, struct repo *r);

bool gcroots_has(const struct gcroots *g, const struct oid *id);
/* Every kept object, in the order added. Borrowed. */
const struct oidset *gcroots_set(const struct gcroots *g);
/* The scopes in the order started. Borrowed. */
const struct gcroots_scope *gcroots_scopes(const struct gcroots *g, size_t *n);
/* Problems of one kind over all scopes. */
size_t gcroots_problems(const struct gcroots *g, enum gcroots_problem kind);

/*
 * A manifest the walk met but could not read because it is not in the
 * cache: what it names is unknown, so nothing may be collected on its
 * account until it is fetched (gc --cloud fetches it from the remote).
 */
struct gcroots_unread {
	struct oid id;
	char *path;
	int depth;
	bool root;
};
/* The unread manifests, in the order met. Borrowed. */
const struct gcroots_unread *gcroots_unread(const struct gcroots *g, size_t *n);
/* Walk the unread manifests again (after a fetch); those still not in the cache stay listed. */
void gcroots_walk_unread(struct gcroots *g);

#endif
