/*
 * xfer.h: what push, fetch, pull and status --cloud share on the command
 * side: the remote from -r (or core.remote), -j, the outputs named on the
 * command line, progress on the terminal, and the messages about objects
 * that are nowhere to be found.
 */
#ifndef CAIRN_CMD_XFER_H
#define CAIRN_CMD_XFER_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "core/out.h"
#include "remotes/xfer.h"

struct cache;
struct remote;
struct revset_opts;

struct cmd_xfer {
	struct remote *remote;
	struct cache *cache;     /* borrowed from the repository */
	struct out_list outs;    /* the outputs to work on */
	size_t nwork;            /* how many of them, first, are the workspace's */
	struct xfer_opts opts;   /* jobs, progress, cancel */
	struct progress *prog;   /* of the current phase */
	const char *phase;
	const struct cmd_ctx *ctx;
};

/* Open the remote (NULL: the default), the cache and the outputs; -j's text in jobs. */
const struct cairn_error *cmd_xfer_open(struct cmd_xfer *x, struct cmd_ctx *c,
					const char *remote, const char *jobs);
void cmd_xfer_close(struct cmd_xfer *x);

/*
 * The same with revision options (fetch, pull, push --rev, -a, -T, -A): the
 * workspace's outputs first, then every other pointer of those revisions;
 * PATH arguments filter both. revs NULL or empty: cmd_xfer_open.
 */
const struct cairn_error *cmd_xfer_open_revs(struct cmd_xfer *x, struct cmd_ctx *c,
					     const char *remote, const char *jobs,
					     const struct revset_opts *revs);

/* The revision options of a command's table, by row (the table rows are in this order). */
void cmd_xfer_revs(struct revset_opts *o, const struct cmd_ctx *c, int rev_row);
#define CMD_XFER_REV_OPTS                                                                  \
	{ 0, "rev", "REV", "also the data of revision REV (repeatable)" },                  \
	{ 'a', "all-branches", NULL, "also the data of every branch tip" },                 \
	{ 'T', "all-tags", NULL, "also the data of every tag" },                            \
	{ 'A', "all-commits", NULL, "also the data of every commit" }

/* Erase the progress line, if one is drawn. */
void cmd_xfer_progress_done(struct cmd_xfer *x);

/* An error naming the missing objects ("<what>: 'path' (object ...), ..."), or NULL. */
const struct cairn_error *cmd_xfer_missing(const struct xfer_result *res, const char *what);

/* cairn status --cloud: what is only local, only on the remote, nowhere. */
const struct cairn_error *cmd_status_cloud(struct cmd_ctx *c, const char *remote,
					   const char *jobs, bool json, bool quiet);

#endif
