/*
 * remote.c: cairn remote add|list|remove|modify|default: manage the
 * remotes in the configuration, with an inner table of subcommands (as
 * git worktree). Remotes are written to the committed .cairn/config
 * unless --local; credentials always go to .cairn/config.local, and no
 * secret is printed. See cairn-remote(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/remote_cfg.h"
#include "core/repo.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"

static const struct opt_spec remote_opts[] = {
	{ 'd', "default", NULL, "add: make the new remote the default one" },
	{ 0, "local", NULL, "write to .cairn/config.local instead of .cairn/config" },
	{ 0, NULL, NULL, NULL },
};

enum { REMOTE_OPT_DEFAULT, REMOTE_OPT_LOCAL };

static enum config_level remote_level(const struct cmd_ctx *c)
{
	return opt_given(c, REMOTE_OPT_LOCAL) ? CONFIG_LOCAL : CONFIG_REPO;
}

/* A URL cairn can use (core/remote_cfg refuses one that holds credentials). */
static const struct cairn_error *remote_check_url(const char *name, const char *url)
{
	if (remote_url_kind(url) == NULL)
		return err_hint(err_new(CAIRN_ERR_USAGE, "remote '%s': unsupported URL '%s'", name, url),
				"use a folder path, file://, s3://BUCKET/PREFIX or http(s)://");
	return NULL;
}

static const struct cairn_error *remote_add(struct cmd_ctx *c, struct config *cfg)
{
	const char *name = c->argv[1], *url = c->argv[2];
	const struct cairn_error *e;

	if ((e = remote_check_url(name, url)) != NULL)
		return e;
	if ((e = remote_cfg_add(cfg, remote_level(c), name, url)) != NULL)
		return e;
	if (opt_given(c, REMOTE_OPT_DEFAULT))
		e = remote_cfg_default(cfg, remote_level(c), name);
	return e;
}

static const struct cairn_error *remote_list(struct cmd_ctx *c, struct config *cfg)
{
	struct remote_cfg_list l;
	const struct cairn_error *e;
	size_t i;

	if ((e = remote_cfg_list(&l, cfg)) != NULL)
		return e;
	for (i = 0; i < l.n && !c->quiet; i++) {
		char *key = xasprintf("remote.%s.url", l.v[i].name);
		char *url = remote_cfg_shown(key, l.v[i].url);

		printf("%s\t%s%s\n", l.v[i].name, url, l.v[i].is_default ? "\t(default)" : "");
		free(url);
		free(key);
	}
	remote_cfg_list_release(&l);
	return NULL;
}

static const struct cairn_error *remote_remove(struct cmd_ctx *c, struct config *cfg)
{
	return remote_cfg_remove(cfg, c->argv[1], false);
}

static const struct cairn_error *remote_modify(struct cmd_ctx *c, struct config *cfg)
{
	const struct cairn_error *e;
	enum config_level used;
	char *value;

	if (strcasecmp(c->argv[2], "url") == 0 &&
	    (e = remote_check_url(c->argv[1], c->argv[3])) != NULL)
		return e;
	if ((e = cmd_setting_value(&value, c->argv[2], c->argv[3])) != NULL)
		return e;
	e = remote_cfg_set(&used, cfg, remote_level(c), c->argv[1], c->argv[2], value);
	free(value);
	if (e == NULL && used != remote_level(c) && !c->quiet)
		cmd_note("'%s' is a credential: written to .cairn/config.local", c->argv[2]);
	return e;
}

static const struct cairn_error *remote_default(struct cmd_ctx *c, struct config *cfg)
{
	const struct cairn_error *e;
	char *def = NULL;

	if (c->argc == 2)
		return remote_cfg_default(cfg, remote_level(c), c->argv[1]);
	if ((e = config_get_str(&def, cfg, "core.remote")) != NULL)
		return e;
	if (def == NULL || *def == '\0')
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "no default remote"),
			     "set one: cairn remote default NAME");
	else if (!c->quiet)
		printf("%s\n", def);
	free(def);
	return e;
}

static const struct {
	const char *name;
	int min_args, max_args; /* counting the subcommand itself */
	const struct cairn_error *(*run)(struct cmd_ctx *c, struct config *cfg);
	const char *usage;
} remote_subcmds[] = {
	{ "add", 3, 3, remote_add, "cairn remote add [-d] [--local] NAME URL" },
	{ "list", 1, 1, remote_list, "cairn remote list" },
	{ "remove", 2, 2, remote_remove, "cairn remote remove NAME" },
	{ "modify", 4, 4, remote_modify, "cairn remote modify [--local] NAME KEY VALUE" },
	{ "default", 1, 2, remote_default, "cairn remote default [--local] [NAME]" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cairn_error *cmd_remote(struct cmd_ctx *c)
{
	const char *sub = c->argv[0];
	int i;

	for (i = 0; remote_subcmds[i].name; i++)
		if (strcmp(remote_subcmds[i].name, sub) == 0)
			break;
	if (remote_subcmds[i].name == NULL)
		return err_hint(err_new(CAIRN_ERR_USAGE, "unknown remote subcommand '%s'", sub),
				"use add, list, remove, modify or default");
	if (c->argc < remote_subcmds[i].min_args || c->argc > remote_subcmds[i].max_args)
		return err_hint(err_new(CAIRN_ERR_USAGE, "%s arguments for 'remote %s'",
					c->argc < remote_subcmds[i].min_args ? "too few" : "too many",
					sub),
				"usage: %s", remote_subcmds[i].usage);
	if (opt_given(c, REMOTE_OPT_DEFAULT) && strcmp(sub, "add") != 0)
		return err_new(CAIRN_ERR_USAGE, "-d only goes with 'remote add'");
	if (opt_given(c, REMOTE_OPT_LOCAL) && strcmp(sub, "add") != 0 &&
	    strcmp(sub, "modify") != 0 && strcmp(sub, "default") != 0)
		return err_new(CAIRN_ERR_USAGE, "--local goes with add, modify and default");
	return remote_subcmds[i].run(c, c->repo->cfg);
}

const struct cmd_entry cmd_remote_entry = {
	.name = "remote",
	/* one usage line per subcommand, as bash completion reads them */
	.args = "SUBCOMMAND [ARGS]\n"
		"       cairn remote add [-d] [--local] NAME URL\n"
		"       cairn remote list\n"
		"       cairn remote remove NAME\n"
		"       cairn remote modify [--local] NAME KEY VALUE\n"
		"       cairn remote default [--local] [NAME]",
	.summary = "add, list, change and remove remotes",
	.opts = remote_opts,
	.min_args = 1,
	.max_args = 4,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_remote,
};
