/*
 * init.c: cairn init: create .cairn/ (config, .gitignore) at the root of
 * the Git work tree. Running it again only adds what is missing.
 * See cairn-init(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/repo.h"
#include "core/xmalloc.h"

static const char init_config[] =
	"# cairn settings (git-config syntax); see cairn-config(5).\n"
	"# Private settings and credentials go in config.local, which git ignores.\n"
	"[core]\n"
	"\tversion = 1\n";

static const char *const init_ignored[] = { "/cache/", "/tmp/", "/config.local", NULL };

/* Write path unless it exists; true when written. */
static const struct cairn_error *init_write_new(bool *wrote, const char *path, const char *text)
{
	struct stat st;

	*wrote = false;
	if (lstat(path, &st) == 0)
		return NULL;
	*wrote = true;
	return fs_atomic_write(path, text, strlen(text), 0644);
}

/* Make sure .cairn/.gitignore lists every ignored entry. */
static const struct cairn_error *init_gitignore(bool *wrote, const char *path)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	struct stat st;
	int i;

	*wrote = false;
	buf_init(&b);
	if (lstat(path, &st) == 0 && (e = fs_read_file(&b, path, 1 << 20)) != NULL) {
		buf_release(&b);
		return e;
	}
	for (i = 0; init_ignored[i]; i++) {
		char *line = xasprintf("%s\n", init_ignored[i]);
		bool found = strncmp(b.s, line, strlen(line)) == 0;

		if (!found) {
			char *nl = xasprintf("\n%s", line);

			found = strstr(b.s, nl) != NULL;
			free(nl);
		}
		if (!found) {
			if (b.len && b.s[b.len - 1] != '\n')
				buf_addch(&b, '\n');
			buf_adds(&b, line);
			*wrote = true;
		}
		free(line);
	}
	e = *wrote ? fs_atomic_write(path, b.s, b.len, 0644) : NULL;
	buf_release(&b);
	return e;
}

static const struct cairn_error *cmd_init(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct repo *r = c->repo;
	char *cfg, *ign;
	bool w1 = false, w2 = false, existed = r->initialised;
	struct stat st;

	if (lstat(r->cairn_dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return err_new(CAIRN_ERR_EXISTS, "'%s' exists and is not a folder", r->cairn_dir);
	if (mkdir(r->cairn_dir, 0777) < 0 && errno != EEXIST)
		return err_errno("mkdir '%s'", r->cairn_dir);
	cfg = fs_join(r->cairn_dir, "config");
	ign = fs_join(r->cairn_dir, ".gitignore");
	e = init_write_new(&w1, cfg, init_config);
	if (e == NULL)
		e = init_gitignore(&w2, ign);
	free(cfg);
	free(ign);
	if (e)
		return e;
	if (!c->quiet) {
		if (existed && !w1 && !w2)
			printf("cairn is already initialised in %s\n", r->cairn_dir);
		else
			printf("initialised cairn in %s\n", r->cairn_dir);
		if (!existed || w1 || w2)
			cmd_hint("record it in git: git add .cairn/config .cairn/.gitignore");
	}
	return NULL;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.args = "",
	.summary = "set up cairn in the current Git work tree",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_REPO,
	.run = cmd_init,
};
