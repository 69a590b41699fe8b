/*
 * config.c: cairn config [--local|--global] KEY [VALUE], --unset KEY,
 * --list: read and write settings (git-config files through libgit2).
 * Without a level a value is written to .cairn/config; credentials always
 * go to .cairn/config.local, and no secret is ever printed: --list and
 * reads show it masked. Works outside a repository with --global.
 * See cairn-config(1) and cairn-config(5).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/remote_cfg.h"
#include "core/repo.h"
#include "core/xmalloc.h"

static const struct opt_spec config_opts[] = {
	{ 0, "local", NULL, "use .cairn/config.local (private, ignored by git)" },
	{ 0, "global", NULL, "use your own file, ~/.config/cairn/config" },
	{ 0, "unset", NULL, "remove KEY" },
	{ 'l', "list", NULL, "list every setting (secrets masked)" },
	{ 0, NULL, NULL, NULL },
};

enum { CONFIG_OPT_LOCAL, CONFIG_OPT_GLOBAL, CONFIG_OPT_UNSET, CONFIG_OPT_LIST };

static const struct cairn_error *config_print(const char *name, const char *value,
					      enum config_level level, void *arg)
{
	bool *warned = arg;
	char *shown;

	if (config_key_is_secret(name) && level == CONFIG_REPO && !*warned) {
		cmd_warn("'%s' is a credential in the committed .cairn/config; move it: "
			 "cairn config --local KEY VALUE", name);
		*warned = true;
	}
	shown = remote_cfg_shown(name, value);
	printf("%s=%s\n", name, shown);
	free(shown);
	return NULL;
}

/* The level the options name, or 0 for the default. */
static enum config_level config_level_of(const struct cmd_ctx *c)
{
	if (opt_given(c, CONFIG_OPT_LOCAL))
		return CONFIG_LOCAL;
	if (opt_given(c, CONFIG_OPT_GLOBAL))
		return CONFIG_GLOBAL;
	return 0;
}

struct config_find {
	const char *key;
	char *value; /* the last match (highest level wins) */
};

static const struct cairn_error *config_on_find(const char *name, const char *value,
						enum config_level level, void *arg)
{
	struct config_find *f = arg;

	(void)level;
	if (strcasecmp(name, f->key) == 0) {
		free(f->value);
		f->value = xstrdup(value);
	}
	return NULL;
}

static const struct cairn_error *config_get(struct cmd_ctx *c, struct config *cfg,
					    enum config_level level, const char *key)
{
	const struct cairn_error *e;
	struct config_find f = { key, NULL };

	if (level)
		e = config_foreach(cfg, level, config_on_find, &f);
	else
		e = config_get_str(&f.value, cfg, key);
	if (e == NULL && f.value == NULL)
		e = err_new(CAIRN_ERR_NOT_FOUND, "'%s' is not set", key);
	if (e == NULL && !c->quiet) {
		char *shown = remote_cfg_shown(key, f.value);

		printf("%s\n", shown);
		free(shown);
	}
	free(f.value);
	return e;
}

/* Where a write goes: credentials to config.local, never to a shared file. */
static const struct cairn_error *config_write_level(enum config_level *out,
						    enum config_level level, const char *key)
{
	*out = level ? level : CONFIG_REPO;
	if (!config_key_is_secret(key))
		return NULL;
	if (*out == CONFIG_GLOBAL)
		return err_hint(err_new(CAIRN_ERR_USAGE,
					"'%s' is a credential; credentials are kept only in "
					".cairn/config.local",
					key),
				"for credentials shared by repositories use an AWS profile");
	*out = CONFIG_LOCAL;
	return NULL;
}

static const struct cairn_error *cmd_config_run(struct cmd_ctx *c, struct config *cfg)
{
	const struct cairn_error *e;
	enum config_level level = config_level_of(c), wl;
	bool unset = opt_given(c, CONFIG_OPT_UNSET), list = opt_given(c, CONFIG_OPT_LIST);
	bool warned = false;
	char *key;

	if (list) {
		if (c->argc)
			return err_new(CAIRN_ERR_USAGE, "--list takes no arguments");
		return config_foreach(cfg, level, config_print, &warned);
	}
	if (c->argc == 0)
		return err_new(CAIRN_ERR_USAGE, "a KEY is needed (or --list)");
	if (strchr(c->argv[0], '.') == NULL || c->argv[0][0] == '.')
		return err_hint(err_new(CAIRN_ERR_USAGE, "invalid key '%s'", c->argv[0]),
				"keys look like section.name or remote.NAME.setting");
	key = config_key_normalize(c->argv[0]);
	if (unset) {
		e = c->argc != 1 ? err_new(CAIRN_ERR_USAGE, "--unset takes one KEY")
				 : config_write_level(&wl, level, key);
		if (e == NULL)
			e = config_unset(cfg, wl, key);
	} else if (c->argc == 1) {
		e = config_get(c, cfg, level, key);
	} else {
		char *value = NULL;

		e = config_write_level(&wl, level, key);
		if (e == NULL)
			e = cmd_setting_value(&value, key, c->argv[1]);
		if (e == NULL)
			e = remote_cfg_check_value(key, value);
		if (e == NULL)
			e = config_set(cfg, wl, key, value);
		free(value);
		if (e == NULL && wl == CONFIG_LOCAL && !level && !c->quiet)
			cmd_note("'%s' is a credential: written to .cairn/config.local", key);
	}
	free(key);
	return e;
}

static const struct cairn_error *cmd_config(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct config *cfg = NULL;
	struct repo *r = NULL;

	if (opt_given(c, CONFIG_OPT_LOCAL) && opt_given(c, CONFIG_OPT_GLOBAL))
		return err_new(CAIRN_ERR_USAGE, "--local and --global exclude each other");
	e = repo_open(&r);
	if (e == NULL && !r->initialised && !opt_given(c, CONFIG_OPT_GLOBAL))
		e = repo_require_init(r);
	if (err_is(e, CAIRN_ERR_NOT_REPO) && opt_given(c, CONFIG_OPT_GLOBAL)) {
		/* the user's file needs no repository */
		repo_close(r);
		r = NULL;
		e = config_open(&cfg, NULL);
	}
	if (e == NULL)
		e = cmd_config_run(c, r ? r->cfg : cfg);
	config_close(cfg);
	repo_close(r);
	return e;
}

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.args = "[KEY [VALUE]]",
	.summary = "read and write settings",
	.opts = config_opts,
	.min_args = 0,
	.max_args = 2,
	.flags = 0,
	.run = cmd_config,
};
