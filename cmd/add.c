/*
 * add.c: cairn add PATH...: store files and folders in the cache and write
 * their pointer files. Every path is checked (place, existence, git,
 * overlap) before any is stored; what only reading a folder shows (a bad
 * name deep inside) stops the command at that path, changing nothing for
 * it. See cairn-add(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/add.h"
#include "core/repo.h"
#include "core/work.h"
#include "core/xmalloc.h"

static const struct opt_spec add_opts[] = {
	{ 'q', "quiet", NULL, "print nothing" },
	{ 'j', "jobs", "N", "hash on N threads (default: one per CPU)" },
	{ 0, NULL, NULL, NULL },
};

enum { ADD_QUIET, ADD_JOBS };

/* Two arguments naming the same path, or one inside the other? */
static const struct cairn_error *add_check_pairs(char **rels, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			size_t li = strlen(rels[i]);

			if (i == j)
				continue;
			if (strcmp(rels[i], rels[j]) == 0 && i < j)
				return err_new(CAIRN_ERR_FAILED, "'%s' is named twice", rels[i]);
			if (strncmp(rels[i], rels[j], li) == 0 && rels[j][li] == '/')
				return err_new(CAIRN_ERR_FAILED, "'%s' is inside '%s', also named", rels[j],
					       rels[i]);
		}
	return NULL;
}

static const struct cairn_error *cmd_add(struct cmd_ctx *c)
{
	const struct cairn_error *e = NULL;
	bool quiet = c->quiet || opt_given(c, ADD_QUIET), any = false;
	char **rels = xcalloc((size_t)c->argc, sizeof(char *));
	struct progress *prog = NULL;
	struct work w;
	int i;

	if ((e = cmd_work_open(&w, c)) != NULL) {
		free(rels);
		return e;
	}
	if (opt_given(c, ADD_JOBS) && (e = cmd_jobs(&w.digest.jobs, opt_str(c, ADD_JOBS))) != NULL)
		goto done;
	for (i = 0; i < c->argc && e == NULL; i++)
		if ((e = repo_relpath(&rels[i], c->repo, c->argv[i])) == NULL)
			e = add_check(&w, rels[i]);
	if (e == NULL)
		e = add_check_pairs(rels, c->argc);
	for (i = 0; i < c->argc && e == NULL; i++) {
		struct cmd_ctx q = *c;
		struct add_result res;

		q.quiet = quiet;
		prog = progress_new(&q, rels[i]);
		w.digest.progress = cmd_digest_progress;
		w.digest.progress_arg = prog;
		e = add_path(&res, &w, rels[i]);
		progress_done(prog);
		if (e)
			break;
		any |= res.changed;
		if (quiet)
			continue;
		if (res.type == PTR_DIR)
			printf("%s %s (%llu file%s, %s)\n",
			       res.created ? "added" : res.changed ? "updated" : "unchanged", rels[i],
			       (unsigned long long)res.nfiles, res.nfiles == 1 ? "" : "s",
			       cmd_size(res.size));
		else
			printf("%s %s (%s)\n",
			       res.created ? "added" : res.changed ? "updated" : "unchanged", rels[i],
			       cmd_size(res.size));
		fflush(stdout);
	}
	if (e == NULL && any && !quiet)
		cmd_hint("record the change in git: "
			 "git add the .cairn pointer files and .gitignore");
done:
	work_close(&w);
	for (i = 0; i < c->argc; i++)
		free(rels[i]);
	free(rels);
	return e;
}

const struct cmd_entry cmd_add_entry = {
	.name = "add",
	.args = "PATH...",
	.summary = "track files and folders: store them in the cache and write PATH.cairn",
	.opts = add_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_add,
};
