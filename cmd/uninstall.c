/*
 * uninstall.c: cairn uninstall: remove the git hook shims that cairn
 * install wrote (only files carrying its marker) and put chained hooks
 * back. See cairn-uninstall(1) and cairn-hooks(5).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "hooks/shim.h"

static void uninstall_report(const char *name, enum shim_action a, void *arg)
{
	const struct cmd_ctx *c = arg;

	if (c->quiet)
		return;
	if (a == SHIM_REMOVED)
		printf("removed %s\n", name);
	else if (a == SHIM_RESTORED)
		printf("removed %s (the hook kept as %s%s is back)\n", name, name,
		       SHIM_CHAINED_SUFFIX);
	else if (a == SHIM_FOREIGN)
		printf("left %s: not written by cairn\n", name);
}

static const struct cairn_error *cmd_uninstall(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	char *dir;

	if ((e = shim_hooks_dir(&dir, c->repo)) != NULL)
		return e;
	e = shim_uninstall(dir, uninstall_report, c);
	free(dir);
	return e;
}

const struct cmd_entry cmd_uninstall_entry = {
	.name = "uninstall",
	.args = "",
	.summary = "remove the git hooks that cairn install wrote",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_REPO,
	.run = cmd_uninstall,
};
