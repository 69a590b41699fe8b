/*
 * cmd.h: the command table entry every cmd/<name>.c exports, the parsed
 * options handed to it, and the shared CLI helpers of cmd/common.c.
 */
#ifndef CAIRN_CMD_CMD_H
#define CAIRN_CMD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

struct repo;
struct work;

#define OPT_MAX 24

/* One row of a command's option table. */
struct opt_spec {
	int short_name;        /* letter, or 0 for long-only */
	const char *long_name; /* without "--" */
	const char *arg;       /* argument name, or NULL for a flag */
	const char *help;      /* one line for --help */
};

/* What the dispatcher parsed, indexed by the row of the option table. */
struct opt_values {
	int count[OPT_MAX];          /* times given */
	const char **vals[OPT_MAX];  /* arguments, in order */
	bool quiet;                  /* the implicit -q/--quiet of tables without one */
	int dashdash;                /* positional arguments given before "--", or -1 */
};

enum cmd_flags {
	CMD_NEEDS_REPO = 1 << 0, /* open the Git work tree */
	CMD_NEEDS_INIT = 1 << 1, /* and require cairn init */
	CMD_WRITES = 1 << 2,     /* take the repository lock, and the cache lock shared */
	CMD_NO_OPTS = 1 << 3,    /* pass every argument through (cairn help) */
	CMD_OWN_CACHE_LOCK = 1 << 4, /* with CMD_WRITES: takes the cache lock itself (gc) */
};

struct cmd_ctx {
	struct repo *repo;      /* open with CMD_NEEDS_REPO */
	int argc;               /* positional arguments */
	char **argv;
	struct opt_values *opt; /* the command's options */
	bool quiet;             /* -q given globally or to the command */
	int verbose;            /* -v count */
	int exit_code;          /* set by commands that exit non-zero without an error */
};

struct cmd_entry {
	const char *name;
	const char *args;      /* positional part of the usage line: "PATH..." */
	const char *summary;   /* one line for cairn help */
	const struct opt_spec *opts; /* ends with a zero row; may be NULL */
	int min_args, max_args;      /* max -1: no limit */
	unsigned flags;
	const struct cairn_error *(*run)(struct cmd_ctx *ctx);
};

/* Option values by row. */
bool opt_given(const struct cmd_ctx *c, int row);
const char *opt_str(const struct cmd_ctx *c, int row); /* last value, or NULL */
size_t opt_list(const struct cmd_ctx *c, int row, const char ***vals);

/* Open the repository and take the write lock as ce's flags ask, then run it (cmd/main.c). */
const struct cairn_error *cmd_run(struct cmd_ctx *c, const struct cmd_entry *ce);

/* --- cmd/common.c --- */

/* Has SIGINT been received? As a cancel callback for core. */
const struct cairn_error *cmd_cancelled(void *arg);
/* Install the SIGINT/SIGTERM/SIGHUP flag handlers. */
void cmd_signals_init(void);
/* The signal that cancelled the command, or 0. */
int cmd_signal_received(void);

/* Open the workspace context with progress and cancellation wired to the terminal. */
const struct cairn_error *cmd_work_open(struct work *w, struct cmd_ctx *c);

/* Human size: "12.3 MiB". Thread-local rotating buffer. */
const char *cmd_size(uint64_t bytes);

/* Progress line on stderr: only on a terminal, not with -q or in CI, at most 10 Hz. */
struct progress;
struct progress *progress_new(const struct cmd_ctx *c, const char *what);
void progress_update(struct progress *p, uint64_t done, uint64_t total, uint64_t bytes,
		     uint64_t bytes_total);
void progress_done(struct progress *p);
/* What is counted ("files" unless set; a static string). */
void progress_unit(struct progress *p, const char *unit);
/* Erase a drawn line before other output; the next update draws it again. */
void progress_clear(struct progress *p);
void cmd_digest_progress(uint64_t files, uint64_t files_total, uint64_t bytes,
			 uint64_t bytes_total, void *arg);

/* Take the repository write lock, waiting up to core.lockTimeout seconds. */
struct lock;
const struct cairn_error *cmd_lock(struct lock **out, struct cmd_ctx *c);
/*
 * Take the cache lock: shared for a command that may add objects, exclusive
 * for gc's sweep (core/lock.h), waiting up to core.lockTimeout seconds.
 */
const struct cairn_error *cmd_cache_lock(struct lock **out, struct cmd_ctx *c, bool exclusive);

/* Parse a -j/--jobs value: a positive number (USAGE otherwise). */
const struct cairn_error *cmd_jobs(int *out, const char *text);

/*
 * The value to store for key: value itself, or for a credential given as
 * "-" the first line of standard input (so it shows in no process list or
 * shell history). Caller frees *out.
 */
const struct cairn_error *cmd_setting_value(char **out, const char *key, const char *value);

/* The hint line after a change of pointer files: "git add -A -- 'a' 'b'". */
void cmd_hint_git_add(const char *const *paths, size_t n);

/*
 * Run the subcommand named by argv[0] from subs (NULL-terminated; each
 * entry's name is "CMD SUB" and its run is called with its own options).
 * No subcommand is a usage error (the usage line names them all); -h or
 * --help prints the help of each.
 */
const struct cairn_error *cmd_subcommand(struct cmd_ctx *c, const struct cmd_entry *const *subs);

/* Print rows of ncols cells (row-major) in aligned columns. */
void cmd_table(char **cells, size_t ncols, size_t nrows);

/*
 * One line on stderr, after flushing stdout (so a log of both keeps their
 * order): "cairn: warning: ...", "cairn: hint: ..." and a plain "cairn: ...".
 */
void cmd_warn(const char *fmt, ...) CAIRN_PRINTF(1, 2);
void cmd_hint(const char *fmt, ...) CAIRN_PRINTF(1, 2);
void cmd_note(const char *fmt, ...) CAIRN_PRINTF(1, 2);
/* Print "cairn: error: MSG" and the hint line, if any, on stderr. */
void cmd_report(const struct cairn_error *e);
/* text with control bytes and invalid UTF-8 spelled \xNN (caller frees): one line, valid UTF-8. */
char *cmd_escape(const char *text);
/* Print prefix and the escaped text as one line. */
void cmd_print_line(FILE *f, const char *prefix, const char *text);
/*
 * Set key of obj to a path for --json output: the path itself when it is
 * valid UTF-8; else its text as printed (cmd_escape) and, under
 * "<key>_base64", its exact bytes (JSON strings must be UTF-8).
 */
struct json_t;
void cmd_json_path(struct json_t *obj, const char *key, const char *path);
/*
 * A size or count for --json: JSON integers are signed 64-bit, so a sum
 * past INT64_MAX (hostile pointers each just below it) stays at INT64_MAX
 * instead of turning negative. New reference.
 */
struct json_t *cmd_json_count(uint64_t v);

#endif
