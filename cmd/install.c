/*
 * install.c: cairn install [--force]: write the git hook shims (pre-commit,
 * post-checkout, post-merge, post-rewrite) where git runs hooks from,
 * chaining any hook that is already there. See cairn-install(1) and
 * cairn-hooks(5).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "hooks/shim.h"

static const struct opt_spec install_opts[] = {
	{ 'f', "force", NULL, "overwrite a foreign hook that cannot be chained" },
	{ 0, NULL, NULL, NULL },
};

enum { INSTALL_FORCE };

static void install_report(const char *name, enum shim_action a, void *arg)
{
	const struct cmd_ctx *c = arg;

	if (c->quiet)
		return;
	switch (a) {
	case SHIM_WRITTEN:
		printf("installed %s\n", name);
		break;
	case SHIM_UPDATED:
		printf("updated %s\n", name);
		break;
	case SHIM_UNCHANGED:
		printf("%s is up to date\n", name);
		break;
	case SHIM_CHAINED:
		printf("installed %s (the existing hook runs first, kept as %s%s)\n", name, name,
		       SHIM_CHAINED_SUFFIX);
		break;
	case SHIM_REPLACED:
		printf("installed %s (the foreign hook was overwritten)\n", name);
		break;
	default:
		break;
	}
}

static const struct cairn_error *cmd_install(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	char *dir;

	if ((e = shim_hooks_dir(&dir, c->repo)) != NULL)
		return e;
	e = shim_install(dir, opt_given(c, INSTALL_FORCE), install_report, c);
	if (e == NULL && !c->quiet)
		printf("hooks are in %s\n", dir);
	free(dir);
	return e;
}

const struct cmd_entry cmd_install_entry = {
	.name = "install",
	.args = "",
	.summary = "install the git hooks that keep data in step with commits and checkouts",
	.opts = install_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_REPO,
	.run = cmd_install,
};
