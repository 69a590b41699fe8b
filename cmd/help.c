/*
 * help.c: cairn help [COMMAND]: list the commands, or show one command's
 * manual page (its --help text when man or the page is not available or
 * stdout is not a terminal). See cairn-help(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/opt.h"
#include "core/buf.h"

extern const struct cmd_entry *const cmd_entries[];

static bool help_man(const char *page)
{
	pid_t pid;
	int status;

	if (!isatty(1))
		return false;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		execlp("man", "man", page, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static const struct cairn_error *cmd_help(struct cmd_ctx *c)
{
	struct buf b = BUF_INIT;
	int i;

	if (c->argc == 0) {
		printf("usage: cairn [-C DIR] [-q] [-v] COMMAND [ARGS]\n\ncommands:\n");
		for (i = 0; cmd_entries[i]; i++)
			printf("  %-10s %s\n", cmd_entries[i]->name, cmd_entries[i]->summary);
		printf("\nSee 'cairn help COMMAND' or 'man cairn-COMMAND' for one command.\n");
		return NULL;
	}
	if (c->argc > 1)
		return err_new(CAIRN_ERR_USAGE, "too many arguments");
	for (i = 0; cmd_entries[i]; i++) {
		char page[64];

		if (strcmp(cmd_entries[i]->name, c->argv[0]) != 0)
			continue;
		snprintf(page, sizeof(page), "cairn-%s", c->argv[0]);
		if (help_man(page))
			return NULL;
		buf_init(&b);
		opt_help(&b, cmd_entries[i]);
		fputs(b.s, stdout);
		buf_release(&b);
		return NULL;
	}
	return err_hint(err_new(CAIRN_ERR_USAGE, "unknown command '%s'", c->argv[0]),
			"run 'cairn help' for the list of commands");
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.args = "[COMMAND]",
	.summary = "list the commands, or show the manual of one",
	.opts = NULL,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NO_OPTS,
	.run = cmd_help,
};
