/*
 * move.c: cairn move SRC DST: move a tracked output, its data, pointer and
 * .gitignore entry together, never overwriting anything. See cairn-move(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/move.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/work.h"
#include "core/xmalloc.h"

static const struct opt_spec move_opts[] = {
	{ 'q', "quiet", NULL, "print nothing" },
	{ 0, NULL, NULL, NULL },
};

enum { MOVE_QUIET };

static const struct cairn_error *cmd_move(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	char *dst_rel = NULL, *dst = NULL;
	struct out o = { 0 };
	struct work w;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	if ((e = out_find(&o, c->repo, c->argv[0])) != NULL)
		goto done;
	if ((e = repo_relpath(&dst_rel, c->repo, c->argv[1])) != NULL)
		goto done;
	if ((e = move_target(&dst, &w, &o, dst_rel)) != NULL)
		goto done;
	if ((e = move_out(&w, &o, dst)) != NULL)
		goto done;
	if (!c->quiet && !opt_given(c, MOVE_QUIET)) {
		char *dptr = xasprintf("%s%s", dst, PTR_SUFFIX), *ddir = fs_dirname(dst);
		char *dign = strchr(dst, '/') ? fs_join(ddir, ".gitignore") : xstrdup(".gitignore");
		char *sign = fs_join(o.dir, ".gitignore");
		const char *paths[] = { o.ptr_rel, dptr, sign, dign };

		printf("moved %s to %s\n", o.rel, dst);
		cmd_hint_git_add(paths, strcmp(sign, dign) == 0 ? 3 : 4);
		free(dptr);
		free(ddir);
		free(dign);
		free(sign);
	}
done:
	free(dst);
	free(dst_rel);
	out_release(&o);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_move_entry = {
	.name = "move",
	.args = "SRC DST",
	.summary = "move a tracked output with its pointer and .gitignore entry",
	.opts = move_opts,
	.min_args = 2,
	.max_args = 2,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_move,
};
