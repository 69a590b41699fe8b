/*
 * unprotect.c: cairn unprotect PATH...: replace the read-only links into
 * the cache (cache.type hardlink or symlink) under each path by writable
 * copies, so the data can be edited in place. See cairn-unprotect(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/repo.h"
#include "core/unprotect.h"
#include "core/work.h"

static const struct opt_spec unprotect_opts[] = {
	{ 'q', "quiet", NULL, "print nothing" },
	{ 0, NULL, NULL, NULL },
};

enum { UNPROTECT_QUIET };

static const struct cairn_error *cmd_unprotect(struct cmd_ctx *c)
{
	const struct cairn_error *e = NULL;
	bool quiet = c->quiet || opt_given(c, UNPROTECT_QUIET);
	struct work w;
	int i;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	for (i = 0; i < c->argc && e == NULL; i++) {
		struct unprotect_result res;
		char *rel = NULL;

		if ((e = cmd_cancelled(NULL)) != NULL)
			break;
		if ((e = repo_relpath(&rel, c->repo, c->argv[i])) == NULL)
			e = unprotect_path(&res, &w, rel);
		if (e == NULL && !quiet)
			printf("unprotected %s (%llu file%s copied, %llu made writable)\n", rel,
			       (unsigned long long)res.copied, res.copied == 1 ? "" : "s",
			       (unsigned long long)res.writable);
		free(rel);
	}
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_unprotect_entry = {
	.name = "unprotect",
	.args = "PATH...",
	.summary = "make tracked data writable: copies in place of links into the cache",
	.opts = unprotect_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_unprotect,
};
