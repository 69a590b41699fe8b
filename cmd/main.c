/*
 * main.c: the dispatcher. Parses global options (-C, -q, -v), finds the
 * command, parses its options from its table, opens the repository and
 * takes the write lock (and the cache lock, shared) when the command asks, runs it, and turns an error
 * into one "cairn: error:" line and the exit code (0 ok, 1 error, 2 usage,
 * 128 + N stopped by signal N: 130 for Ctrl-C, 143 for SIGTERM). See cairn(1).
 */
#include "buildconf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "core/buf.h"
#include "core/fault.h"
#include "core/lock.h"
#include "core/repo.h"
#include "core/tempfile.h"

extern const struct cmd_entry cmd_add_entry, cmd_checkout_entry, cmd_commit_entry,
	cmd_config_entry, cmd_fetch_entry, cmd_fsck_entry, cmd_gc_entry, cmd_help_entry,
	cmd_init_entry, cmd_move_entry, cmd_pull_entry, cmd_push_entry, cmd_remote_entry,
	cmd_remove_entry, cmd_status_entry, cmd_unprotect_entry, cmd_version_entry;
extern const struct cmd_entry cmd_diff_entry, cmd_hook_entry, cmd_install_entry, cmd_ls_entry,
	cmd_uninstall_entry;
extern const struct cmd_entry cmd_dag_entry, cmd_exp_entry, cmd_metrics_entry, cmd_params_entry,
	cmd_repro_entry, cmd_reproduce_entry, cmd_stage_entry;

const struct cmd_entry *const cmd_entries[] = {
	&cmd_add_entry, &cmd_checkout_entry, &cmd_commit_entry, &cmd_config_entry, &cmd_dag_entry,
	&cmd_diff_entry, &cmd_exp_entry, &cmd_fetch_entry, &cmd_fsck_entry, &cmd_gc_entry,
	&cmd_help_entry, &cmd_hook_entry, &cmd_init_entry, &cmd_install_entry, &cmd_ls_entry,
	&cmd_metrics_entry, &cmd_move_entry, &cmd_params_entry, &cmd_pull_entry, &cmd_push_entry,
	&cmd_remote_entry, &cmd_remove_entry, &cmd_repro_entry, &cmd_reproduce_entry,
	&cmd_stage_entry, &cmd_status_entry, &cmd_uninstall_entry, &cmd_unprotect_entry,
	&cmd_version_entry, NULL,
};

static int main_exit_code(const struct cairn_error *e)
{
	if (e->code == CAIRN_ERR_USAGE)
		return 2;
	if (e->code == CAIRN_ERR_CANCELLED) /* 128 + the signal, as a shell reports it */
		return 128 + (cmd_signal_received() ? cmd_signal_received() : SIGINT);
	return 1;
}

static int main_fail(const struct cairn_error *e, const struct cmd_entry *ce)
{
	cmd_report(e);
	if (e->hint == NULL && e->code == CAIRN_ERR_USAGE && ce) {
		struct buf b = BUF_INIT;

		buf_init(&b);
		opt_usage_line(&b, ce);
		fprintf(stderr, "%s\n", b.s);
		buf_release(&b);
	}
	return main_exit_code(e);
}

static const struct cmd_entry *main_find(const char *name)
{
	int i;

	for (i = 0; cmd_entries[i]; i++)
		if (strcmp(cmd_entries[i]->name, name) == 0)
			return cmd_entries[i];
	return NULL;
}

const struct cairn_error *cmd_run(struct cmd_ctx *c, const struct cmd_entry *ce)
{
	const struct cairn_error *e;
	struct lock *lk = NULL, *clk = NULL;

	if ((ce->flags & (CMD_NEEDS_REPO | CMD_NEEDS_INIT)) && c->repo == NULL) {
		if ((e = repo_open(&c->repo)) != NULL)
			return e;
		if ((ce->flags & CMD_NEEDS_INIT) && (e = repo_require_init(c->repo)) != NULL)
			return e;
	}
	if ((ce->flags & CMD_WRITES) && c->repo->initialised) {
		if ((e = cmd_lock(&lk, c)) != NULL)
			return e;
		if (!(ce->flags & CMD_OWN_CACHE_LOCK) && (e = cmd_cache_lock(&clk, c, false)) != NULL) {
			lock_release(lk);
			return e;
		}
		fault_point("lock-held");
	}
	e = ce->run(c);
	lock_release(clk);
	lock_release(lk);
	return e;
}

static void main_usage(FILE *f)
{
	fprintf(f, "usage: cairn [-C DIR] [-q] [-v] COMMAND [ARGS]\n"
		   "       cairn help [COMMAND]\n"
		   "       cairn --version\n");
}

int main(int argc, char **argv)
{
	const struct cmd_entry *ce;
	const struct cairn_error *e;
	struct opt_values vals;
	struct cmd_ctx c;
	bool help;
	int i = 1, code;

	signal(SIGPIPE, SIG_IGN);
	memset(&c, 0, sizeof(c));
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-C") == 0) {
			if (i + 1 >= argc)
				return main_fail(err_new(CAIRN_ERR_USAGE, "-C needs a folder"), NULL);
			if (chdir(argv[++i]) < 0)
				return main_fail(err_errno("cannot change to '%s'", argv[i]), NULL);
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			c.quiet = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			c.verbose++;
		} else if (strcmp(a, "--version") == 0) {
			printf("cairn %s\n", PACKAGE_VERSION);
			return 0;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			main_usage(stdout);
			return 0;
		} else {
			code = main_fail(err_new(CAIRN_ERR_USAGE, "unknown option '%s'", a), NULL);
			main_usage(stderr);
			return code;
		}
	}
	if (i >= argc) {
		main_usage(stderr);
		return 2;
	}
	ce = main_find(argv[i]);
	if (ce == NULL)
		return main_fail(err_hint(err_new(CAIRN_ERR_USAGE, "unknown command '%s'", argv[i]),
					  "run 'cairn help' for the list of commands"),
				 NULL);
	c.argc = argc - i;
	c.argv = argv + i;
	if (ce->flags & CMD_NO_OPTS) {
		memset(&vals, 0, sizeof(vals));
		c.argc--;
		c.argv++;
		help = c.argc > 0 && (strcmp(c.argv[0], "-h") == 0 || strcmp(c.argv[0], "--help") == 0);
	} else if ((e = opt_parse(&vals, &c.argc, &c.argv, ce, &help)) != NULL) {
		return main_fail(e, ce);
	}
	if (help) {
		struct buf b = BUF_INIT;

		buf_init(&b);
		opt_help(&b, ce);
		fputs(b.s, stdout);
		buf_release(&b);
		opt_values_release(&vals);
		return 0;
	}
	c.opt = &vals;
	c.quiet |= vals.quiet;
	if (c.argc < ce->min_args || (ce->max_args >= 0 && c.argc > ce->max_args)) {
		e = err_new(CAIRN_ERR_USAGE, c.argc < ce->min_args ? "too few arguments"
								   : "too many arguments");
		opt_values_release(&vals);
		return main_fail(e, ce);
	}
	cmd_signals_init();
	e = cmd_run(&c, ce);
	code = e ? main_fail(e, ce) : c.exit_code;
	repo_close(c.repo);
	opt_values_release(&vals);
	tempfile_cleanup_all();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE && code == 0) {
			fprintf(stderr, "cairn: error: cannot write to standard output: %s\n",
				strerror(errno));
			code = 1;
		}
	}
	return code;
}
