/*
 * shim.h: the Git hook shims that `cairn install` writes and `cairn
 * uninstall` removes (DESIGN 8; cairn-hooks(5)). A shim is a few lines of
 * POSIX sh handing off to `cairn hook NAME "$@"`; its second line is the
 * marker that identifies it. A hook that was there before is kept as
 * NAME.pre-cairn and run first (chained), never silently replaced. Files
 * are written atomically with mode 0755. Not thread-safe.
 */
#ifndef CAIRN_HOOKS_SHIM_H
#define CAIRN_HOOKS_SHIM_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/error.h"

struct repo;

#define SHIM_MARKER "# cairn-hook-shim"
#define SHIM_VERSION 1
#define SHIM_CHAINED_SUFFIX ".pre-cairn"

/* The hooks cairn installs, NULL-terminated. */
extern const char *const shim_names[];

/* True when name is one of shim_names. */
bool shim_known(const char *name);

/*
 * The folder Git runs this work tree's hooks from: core.hooksPath (a
 * relative one is taken from the work tree root, as git does), else the
 * hooks/ folder of the common Git dir (shared by linked worktrees).
 * Caller frees.
 */
const struct cairn_error *shim_hooks_dir(char **out, struct repo *r);

/* Append the shim text of hook name. */
void shim_text(struct buf *out, const char *name);

/* What install and uninstall did to one hook. */
enum shim_action {
	SHIM_WRITTEN,   /* new shim */
	SHIM_UPDATED,   /* an older or changed shim of ours rewritten */
	SHIM_UNCHANGED, /* our shim, already current */
	SHIM_CHAINED,   /* a foreign hook kept as NAME.pre-cairn, shim written */
	SHIM_REPLACED,  /* a foreign hook overwritten (--force) */
	SHIM_REMOVED,   /* our shim removed */
	SHIM_RESTORED,  /* our shim removed and NAME.pre-cairn moved back */
	SHIM_FOREIGN,   /* not ours: left alone */
};
typedef void (*shim_report_cb)(const char *name, enum shim_action a, void *arg);

/*
 * Install every shim into dir (created if missing). A foreign hook is
 * chained; when NAME.pre-cairn is taken already, that is an EXISTS error
 * before anything is written, unless force (the foreign hook is then
 * overwritten).
 */
const struct cairn_error *shim_install(const char *dir, bool force, shim_report_cb cb,
				       void *arg);

/* Remove the shims of dir that carry the marker and restore chained hooks. */
const struct cairn_error *shim_uninstall(const char *dir, shim_report_cb cb, void *arg);

#endif
