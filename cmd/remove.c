/*
 * remove.c: cairn remove PATH.cairn...: stop tracking outputs (pointer and
 * .gitignore entry); with --outs delete their data too, only when it is
 * safely in the cache. Every path is checked before anything is removed.
 * See cairn-remove(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/out.h"
#include "core/remove.h"
#include "core/work.h"
#include "core/xmalloc.h"

static const struct opt_spec remove_opts[] = {
	{ 0, "outs", NULL, "delete the data too (only when it is in the cache)" },
	{ 'f', "force", NULL, "with --outs, delete data that is not in the cache" },
	{ 'q', "quiet", NULL, "print nothing" },
	{ 0, NULL, NULL, NULL },
};

enum { REMOVE_OUTS, REMOVE_FORCE, REMOVE_QUIET };

static const struct cairn_error *cmd_remove(struct cmd_ctx *c)
{
	const struct cairn_error *e = NULL;
	struct out *outs = xcalloc((size_t)c->argc, sizeof(*outs));
	bool quiet = c->quiet || opt_given(c, REMOVE_QUIET);
	struct remove_opts ro;
	struct work w;
	int i, j, n = 0;

	ro.outs = opt_given(c, REMOVE_OUTS);
	ro.force = opt_given(c, REMOVE_FORCE);
	if ((e = cmd_work_open(&w, c)) != NULL) {
		free(outs);
		return e;
	}
	for (i = 0; i < c->argc && e == NULL; i++) {
		if ((e = out_find(&outs[n], c->repo, c->argv[i])) != NULL)
			break;
		for (j = 0; j < n; j++)
			if (strcmp(outs[j].ptr_rel, outs[n].ptr_rel) == 0)
				break;
		if (j < n)
			out_release(&outs[n]); /* named twice */
		else
			e = remove_check(&w, &outs[n++], &ro);
	}
	for (i = 0; i < n && e == NULL; i++) {
		bool gone;

		if ((e = remove_out(&gone, &w, &outs[i], &ro)) != NULL)
			break;
		if (!quiet)
			printf(gone ? "removed %s and its data\n" : "removed %s\n", outs[i].ptr_rel);
	}
	if (e == NULL && n && !quiet) {
		const char **paths = xcalloc((size_t)n * 2, sizeof(*paths));
		char **ign = xcalloc((size_t)n, sizeof(*ign));
		int k = 0;

		for (i = 0; i < n; i++) {
			ign[i] = fs_join(outs[i].dir, ".gitignore");
			paths[k++] = outs[i].ptr_rel;
			for (j = 0; j < i && strcmp(ign[j], ign[i]) != 0; j++)
				;
			if (j == i)
				paths[k++] = ign[i];
		}
		cmd_hint_git_add(paths, (size_t)k);
		for (i = 0; i < n; i++)
			free(ign[i]);
		free(ign);
		free(paths);
	}
	for (i = 0; i < n; i++)
		out_release(&outs[i]);
	free(outs);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_remove_entry = {
	.name = "remove",
	.args = "PATH.cairn...",
	.summary = "stop tracking outputs; with --outs delete their data too",
	.opts = remove_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_remove,
};
