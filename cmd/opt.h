/*
 * opt.h: option parsing for the dispatcher (cmd/main.c) from a command's
 * option table; the usage line and --help text come from the same table.
 */
#ifndef CAIRN_CMD_OPT_H
#define CAIRN_CMD_OPT_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "core/buf.h"

/* Parse argv (argv[0] is the command name); then argc and argv hold the positional arguments. */
const struct cairn_error *opt_parse(struct opt_values *v, int *argc, char ***argv,
				    const struct cmd_entry *ce, bool *help);
void opt_values_release(struct opt_values *v);

/* "usage: cairn add [-q] PATH..." */
void opt_usage_line(struct buf *b, const struct cmd_entry *ce);
/* The full --help text. */
void opt_help(struct buf *b, const struct cmd_entry *ce);

#endif
