/*
 * diff.c: cairn diff [A [B]] [--] [PATH...]: the data files added, modified,
 * deleted and renamed between two revisions, or a revision (default HEAD)
 * and the workspace, read from Git objects and the cache without a
 * checkout. See cairn-diff(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "core/diff.h"
#include "core/otree.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/stageout.h"
#include "core/work.h"
#include "core/xmalloc.h"

static const struct opt_spec diff_opts[] = {
	{ 0, "json", NULL, "print JSON" },
	{ 0, NULL, NULL, NULL },
};

enum { DIFF_JSON };

/*
 * One side: a revision's outputs, or the workspace (spec NULL): what the
 * pointer files and cairn.lock's cached stage outputs record.
 */
static const struct cairn_error *diff_side(struct tree **t, struct cmd_ctx *c, struct work *w,
					   const char *spec, bool implicit_head)
{
	const struct cairn_error *e;
	struct out_list l = OUT_LIST_INIT;

	/* pointer files' outputs and the stage outputs cairn.lock records */
	if (spec == NULL) {
		if ((e = stageout_collect(&l, c->repo, NULL, 0)) == NULL)
			e = otree_from_workspace(t, w, &l);
	} else {
		e = stageout_rev_collect(&l, c->repo, spec);
		if (implicit_head && err_is(e, CAIRN_ERR_NOT_FOUND)) {
			e = NULL; /* no commit yet: everything is new */
			out_list_release(&l);
		}
		if (e == NULL)
			e = otree_from_outs(t, &l, spec);
	}
	out_list_release(&l);
	return e;
}

static bool diff_is_rev(struct cmd_ctx *c, const char *arg)
{
	char hex[REV_HEXLEN + 1];

	return rev_resolve(hex, c->repo, arg) == NULL;
}

/* Split the arguments into up to two revisions and root-relative paths. */
static const struct cairn_error *diff_args(const char **revs, int *nrevs, char ***paths,
					   int *npaths, struct cmd_ctx *c)
{
	const struct cairn_error *e;
	int i, split = c->opt->dashdash;
	struct stat st;

	*nrevs = 0;
	if (split < 0) {
		for (split = 0; split < c->argc && split < 2; split++) {
			if (!diff_is_rev(c, c->argv[split]))
				break;
			if (lstat(c->argv[split], &st) == 0)
				return err_hint(err_new(CAIRN_ERR_USAGE,
							"ambiguous argument '%s': both a revision and a path",
							c->argv[split]),
						"use '--' to separate revisions from paths");
		}
		for (i = split; i < c->argc; i++) {
			if (lstat(c->argv[i], &st) == 0)
				continue;
			if (diff_is_rev(c, c->argv[i]))
				return err_new(CAIRN_ERR_USAGE,
					       "at most two revisions can be compared");
			return err_hint(err_new(CAIRN_ERR_USAGE,
						"'%s' is neither a revision nor a path in the workspace",
						c->argv[i]),
					"put paths that exist only in a revision after '--'");
		}
	}
	if (split > 2)
		return err_new(CAIRN_ERR_USAGE, "at most two revisions can be compared");
	for (i = 0; i < split; i++)
		revs[(*nrevs)++] = c->argv[i];
	*npaths = 0;
	*paths = xcalloc((size_t)(c->argc - split) + 1, sizeof(char *));
	for (i = split; i < c->argc; i++) {
		char *rel;
		size_t n;

		if ((e = repo_relpath(&rel, c->repo, c->argv[i])) != NULL)
			return e;
		n = strlen(rel);
		if (n > strlen(PTR_SUFFIX) && strcmp(rel + n - strlen(PTR_SUFFIX), PTR_SUFFIX) == 0)
			rel[n - strlen(PTR_SUFFIX)] = '\0';
		(*paths)[(*npaths)++] = rel;
	}
	return NULL;
}

static const char *diff_type_name(enum tree_type t)
{
	return t == TREE_DIR ? "dir" : t == TREE_SYMLINK ? "symlink" : t == TREE_FILE ? "file"
										 : "other";
}

static json_t *diff_side_json(const struct diff_side *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "type", json_string(diff_type_name(s->type)));
	if (s->type == TREE_FILE && s->known)
		json_object_set_new(j, "sha256", json_string(oid_hex(&s->id)));
	if (s->type == TREE_FILE) {
		json_object_set_new(j, "size", cmd_json_count(s->size));
		if (s->exec)
			json_object_set_new(j, "exec", json_true());
	}
	if (s->target)
		cmd_json_path(j, "target", s->target);
	return j;
}

static void diff_print_json(const struct diff_result *d, const char *a, const char *b)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];
		json_t *j = json_object();

		json_object_set_new(j, "change", json_string(diff_change_name(it->change)));
		cmd_json_path(j, "path", it->path);
		if (it->old_path)
			cmd_json_path(j, "old_path", it->old_path);
		if (it->a.present)
			json_object_set_new(j, "old", diff_side_json(&it->a));
		if (it->b.present)
			json_object_set_new(j, "new", diff_side_json(&it->b));
		json_array_append_new(arr, j);
	}
	cmd_json_path(root, "a", a);
	cmd_json_path(root, "b", b);
	json_object_set_new(root, "changes", arr);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	putchar('\n');
	json_decref(root);
}

static void diff_print(const struct diff_result *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];
		char word[16];

		char *path = cmd_escape(it->path), *old = it->old_path ? cmd_escape(it->old_path) : NULL;

		snprintf(word, sizeof(word), "%s:", diff_change_name(it->change));
		if (old)
			printf("%-9s %s -> %s\n", word, old, path);
		else
			printf("%-9s %s\n", word, path);
		free(path);
		free(old);
	}
}

static const struct cairn_error *cmd_diff(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	const char *revs[2] = { NULL, NULL };
	struct tree *ta = NULL, *tb = NULL;
	struct diff_result d = DIFF_RESULT_INIT;
	struct cache *cache;
	char **paths = NULL;
	int nrevs, npaths = 0, i;
	bool work = false;
	struct work w;

	if ((e = diff_args(revs, &nrevs, &paths, &npaths, c)) != NULL)
		goto done;
	if (nrevs < 2) {
		if ((e = cmd_work_open(&w, c)) != NULL)
			goto done;
		work = true;
		cache = w.cache;
	} else if ((e = repo_cache(&cache, c->repo)) != NULL) {
		goto done;
	}
	if ((e = diff_side(&ta, c, &w, nrevs ? revs[0] : "HEAD", nrevs == 0)) != NULL)
		goto done;
	if ((e = diff_side(&tb, c, &w, nrevs == 2 ? revs[1] : NULL, false)) != NULL)
		goto done;
	e = diff_trees(&d, ta, tb, cache, paths, (size_t)npaths);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		e = err_hint(e, "bring the data of the revisions into the cache first: "
				"cairn fetch --rev %s", nrevs ? revs[nrevs - 1] : "HEAD");
		goto done;
	}
	if (e)
		goto done;
	if (opt_given(c, DIFF_JSON))
		diff_print_json(&d, nrevs ? revs[0] : "HEAD", nrevs == 2 ? revs[1] : "workspace");
	else if (!c->quiet)
		diff_print(&d);
done:
	diff_result_release(&d);
	tree_free(ta);
	tree_free(tb);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	if (work)
		work_close(&w);
	return e;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.args = "[A [B]] [--] [PATH...]",
	.summary = "show data files added, modified, deleted or renamed between revisions",
	.opts = diff_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_INIT,
	.run = cmd_diff,
};
