/*
 * hook.h: what the Git hooks do (cairn-hooks(5)), called by `cairn hook
 * NAME` from the shims of hooks/shim.h. Findings go to a callback, one per
 * output, so the command layer words them; nothing here prints. Not
 * thread-safe.
 */
#ifndef CAIRN_HOOKS_HOOK_H
#define CAIRN_HOOKS_HOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/rev.h"

struct work;
struct out;
struct out_list;
struct repo;

enum hook_note {
	HOOK_NOT_CACHED, /* pre-commit: a new staged pointer's data is not in the cache */
	HOOK_DIFFERS,    /* pre-commit: the workspace data differs from the staged pointer */
	HOOK_RESTORED,   /* post-*: the output's data was checked out */
	HOOK_KEPT,       /* post-*: modified data kept, not overwritten (e: the paths, as a list) */
	HOOK_MISSING,    /* post-*: the data is not in the cache */
	HOOK_FAILED,     /* post-*: another error for this output */
	HOOK_SECRET,     /* pre-commit: the staged .cairn/config holds a credential (o NULL, e names it) */
};

/* One finding about output o; e explains KEPT, MISSING and FAILED. */
typedef void (*hook_note_cb)(enum hook_note n, const struct out *o, const struct cairn_error *e,
			     void *arg);

/*
 * pre-commit: check the pointers staged in index_file (GIT_INDEX_FILE; NULL:
 * the repository's index). A pointer that is new or changed since HEAD must
 * have all its data in the cache; every staged output whose workspace data
 * exists must match its staged pointer, and the staged .cairn/config must
 * hold no credential (they belong in config.local). *problems counts the
 * findings.
 */
const struct cairn_error *hook_pre_commit(size_t *problems, struct work *w,
					  const char *index_file, hook_note_cb cb, void *arg);

/*
 * post-checkout, post-merge, post-rewrite: check out the data of every
 * workspace pointer that differs from revision prev's (prev NULL or
 * unknown: every pointer), never overwriting data that is not in the
 * cache. Outputs whose data is missing from the cache are appended to
 * missing (when not NULL) for a later fetch. *problems counts FAILED.
 */
const struct cairn_error *hook_checkout(size_t *problems, struct work *w, const char *prev,
					struct out_list *missing, hook_note_cb cb, void *arg);

/* Check out the given outputs, as hook_checkout does (missing ones appended to missing). */
const struct cairn_error *hook_checkout_outs(size_t *problems, struct work *w,
					     struct out_list *outs, struct out_list *missing,
					     hook_note_cb cb, void *arg);

/*
 * pre-push: the outputs the pushed commits name. input is what git writes
 * on the hook's standard input, one line per ref: "<local ref> <local id>
 * <remote ref> <remote id>". For each ref that is not deleted, every commit
 * reachable from the local id and not from the remote id (as the server
 * reported it; remote-tracking refs are never consulted) is read, its
 * whole tree, and each distinct pointer appended to outs once: first those
 * of the pushed tips (*ntips of them), then those only older commits name.
 * A malformed line is a USAGE error. A malformed pointer or cairn.lock of a
 * tip is an error; one of an older commit (history that can no longer be
 * fixed) goes to bad (core/rev.h; may be NULL) and is skipped.
 */
const struct cairn_error *hook_pre_push_outs(struct out_list *outs, size_t *ntips, struct repo *r,
					     const char *input, rev_bad_cb bad, void *arg);

/* core.autopull: fetch missing data in the post-* hooks. */
const struct cairn_error *hook_autopull(bool *on, struct work *w);

/* "error" (stop the commit) or "warn": hooks.precommit. FORMAT for other values. */
const struct cairn_error *hook_precommit_warns(bool *warn, struct work *w);

#endif
