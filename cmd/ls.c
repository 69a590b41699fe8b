/*
 * ls.c: cairn ls [--rev R] [PATH] [-R]: list the data tracked in the
 * workspace's pointers and cairn.lock, or at a revision, down into tracked folders (their
 * manifests come from the cache), without checking anything out. See
 * cairn-ls(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/otree.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/stageout.h"
#include "core/tree.h"
#include "core/xmalloc.h"

static const struct opt_spec ls_opts[] = {
	{ 0, "rev", "REV", "list what the revision REV tracks (default: the workspace's pointers)" },
	{ 'R', "recursive", NULL, "list every file below, down into tracked folders" },
	{ 0, "size", NULL, "show sizes" },
	{ 0, "hash", NULL, "show SHA-256 ids (folders: the manifest id)" },
	{ 0, "json", NULL, "print JSON" },
	{ 0, NULL, NULL, NULL },
};

enum { LS_REV, LS_RECURSIVE, LS_SIZE, LS_HASH, LS_JSON };

struct ls_run {
	bool size, hash, quiet;
	json_t *json; /* array, with --json */
};

static const char *ls_type(enum tree_type t)
{
	return t == TREE_DIR ? "dir" : t == TREE_SYMLINK ? "symlink" : "file";
}

static const struct cairn_error *ls_visit(const char *path, const struct tree_entry *te,
					  void *arg)
{
	struct ls_run *r = arg;
	char *shown;

	if (r->json) { /* asked for, so printed with -q too */
		json_t *j = json_object();

		cmd_json_path(j, "path", path);
		json_object_set_new(j, "type", json_string(ls_type(te->type)));
		if (te->type != TREE_SYMLINK)
			json_object_set_new(j, "size", cmd_json_count(te->size));
		if (te->known && te->type != TREE_SYMLINK)
			json_object_set_new(j, "sha256", json_string(oid_hex(&te->id)));
		if (te->type == TREE_DIR)
			json_object_set_new(j, "nfiles", cmd_json_count(te->nfiles));
		if (te->type == TREE_FILE && te->exec)
			json_object_set_new(j, "exec", json_true());
		if (te->type == TREE_SYMLINK)
			cmd_json_path(j, "target", te->target);
		json_array_append_new(r->json, j);
		return NULL;
	}
	if (r->quiet)
		return NULL;
	if (r->hash)
		printf("%-64s  ", te->known && te->type != TREE_SYMLINK ? oid_hex(&te->id) : "-");
	if (r->size)
		printf("%10s  ", te->type == TREE_SYMLINK ? "-" : cmd_size(te->size));
	shown = cmd_escape(path);
	if (te->type == TREE_DIR) {
		printf("%s/\n", shown);
	} else if (te->type == TREE_SYMLINK) {
		char *target = cmd_escape(te->target);

		printf("%s -> %s\n", shown, target);
		free(target);
	} else {
		printf("%s\n", shown);
	}
	free(shown);
	return NULL;
}

static const struct cairn_error *cmd_ls(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct out_list l = OUT_LIST_INIT;
	const char *rev = opt_str(c, LS_REV);
	struct tree *t = NULL;
	struct cache *cache;
	struct ls_run r;
	char *rel = NULL;
	size_t n;

	memset(&r, 0, sizeof(r));
	r.size = opt_given(c, LS_SIZE);
	r.hash = opt_given(c, LS_HASH);
	r.quiet = c->quiet;
	if (c->argc && (e = repo_relpath(&rel, c->repo, c->argv[0])) != NULL)
		return e;
	if (rel == NULL)
		rel = xstrdup("");
	n = strlen(rel);
	if (n > strlen(PTR_SUFFIX) && strcmp(rel + n - strlen(PTR_SUFFIX), PTR_SUFFIX) == 0)
		rel[n - strlen(PTR_SUFFIX)] = '\0';
	if ((e = repo_cache(&cache, c->repo)) != NULL)
		goto done;
	e = rev ? stageout_rev_collect(&l, c->repo, rev) : stageout_collect(&l, c->repo, NULL, 0);
	if (e == NULL)
		e = otree_from_outs(&t, &l, rev ? rev : "the workspace");
	if (e)
		goto done;
	if (opt_given(c, LS_JSON))
		r.json = json_array();
	e = otree_list(t, cache, rel, opt_given(c, LS_RECURSIVE), ls_visit, &r);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		e = err_hint(e, "bring the data into the cache first: cairn fetch%s%s",
			     rev ? " --rev " : "", rev ? rev : "");
	if (rev && err_is(e, CAIRN_ERR_NOT_TRACKED))
		e = err_wrap(e, "at '%s'", rev);
	if (e == NULL && r.json) {
		json_dumpf(r.json, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
	}
done:
	json_decref(r.json);
	tree_free(t);
	out_list_release(&l);
	free(rel);
	return e;
}

const struct cmd_entry cmd_ls_entry = {
	.name = "ls",
	.args = "[PATH]",
	.summary = "list tracked data at a revision, down into tracked folders",
	.opts = ls_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_ls,
};
