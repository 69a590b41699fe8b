/*
 * gc.c: cairn gc: remove the cache objects (or, with --cloud, the remote
 * objects) that no kept scope names: revisions, branches, tags, commits,
 * experiments, and always the workspace, the index, stash entries, other
 * work trees and the other projects sharing the cache. Refuses to take
 * data from branch and tag tips without --force. Prints what each scope
 * kept, what goes and the bytes freed. See cairn-gc(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/fsutil.h"
#include "core/gc.h"
#include "core/gcroots.h"
#include "core/gcscope.h"
#include "core/lock.h"
#include "core/repo.h"
#include "core/work.h"
#include "core/xmalloc.h"
#include "remotes/gcremote.h"
#include "remotes/remote.h"

static const struct opt_spec gc_opts[] = {
	{ 'w', "workspace", NULL, "keep the workspace (always kept) and nothing more" },
	{ 0, "rev", "REV", "keep what revision REV names (repeatable)" },
	{ 'n', "num", "N", "with --rev: N commits, REV and its first parents" },
	{ 'a', "all-branches", NULL, "keep what the tip of every branch names" },
	{ 'T', "all-tags", NULL, "keep what every tag names" },
	{ 'A', "all-commits", NULL, "keep what every commit of the history names" },
	{ 0, "all-experiments", NULL, "keep what every experiment names" },
	{ 'c', "cloud", NULL, "collect garbage on a remote instead of the cache" },
	{ 'r', "remote", "NAME", "with --cloud: this remote instead of core.remote" },
	{ 'f', "force", NULL, "take data from branches and tags too; with --cloud, delete" },
	{ 'd', "dry-run", NULL, "show what would be removed; remove nothing" },
	{ 'q', "quiet", NULL, "print nothing but errors" },
	{ 0, NULL, NULL, NULL },
};

enum {
	GC_WORKSPACE, GC_REV, GC_NUM, GC_BRANCHES, GC_TAGS, GC_COMMITS, GC_EXPS, GC_CLOUD,
	GC_REMOTE, GC_FORCE, GC_DRY_RUN, GC_QUIET,
};

#define GC_LOST_SHOWN 5

struct gc_print {
	bool quiet, dry_run, cloud;
	struct err_copy corrupt; /* first corrupt manifest met */
	bool have_corrupt;
	struct buf lost;         /* the first refs and paths that would lose data */
	size_t nlost;
	struct gcroots *g;
	const struct gcscope_opts *o;
};

static void gc_on_problem(enum gcroots_problem kind, const struct oid *id, const char *path,
			  const char *msg, void *arg)
{
	struct gc_print *p = arg;

	if (kind == GCROOTS_CORRUPT && !p->have_corrupt) {
		err_save(&p->corrupt, err_new(CAIRN_ERR_CORRUPT, "manifest %s of '%s': %s",
					      oid_hex(id), path, msg));
		p->have_corrupt = true;
	} else if (kind == GCROOTS_MALFORMED && !p->quiet) {
		cmd_warn("%s; keeping every object it names", msg);
	} else if (kind == GCROOTS_MISSING && !p->quiet && !p->cloud) {
		cmd_warn("'%s' (%s) is not in the cache; what only it names cannot be kept", path,
			 oid_hex(id));
	}
}

static void gc_on_remove(const struct oid *id, const char *temp, uint64_t size, void *arg)
{
	const struct gc_print *p = arg;

	if (p->quiet)
		return;
	if (id)
		printf("%s %s (%s)\n", p->dry_run ? "would remove" : "removed", oid_hex(id),
		       cmd_size(size));
	else
		printf("%s temp file tmp/%s (%s)\n", p->dry_run ? "would remove" : "removed", temp,
		       cmd_size(size));
}

static void gc_on_lost(const char *ref, const char *path, void *arg)
{
	struct gc_print *p = arg;

	if (p->nlost++ < GC_LOST_SHOWN)
		buf_addf(&p->lost, "%s'%s' of %s", p->lost.len ? ", " : "", path, ref);
}

/*
 * Another project on the same cache: keep its workspace, and what the same
 * options keep there (its refs are checked like ours).
 */
static const struct cairn_error *gc_add_project(struct repo *other, void *arg)
{
	struct gc_print *p = arg;
	struct gcscope_opts o = *p->o;
	char *prefix = xasprintf("project %s: ", other->root);
	const struct cairn_error *e;

	o.revs = NULL; /* revision names are this project's; its workspace is always kept */
	o.nrevs = 0;
	o.workspace = true;
	e = gcscope_add(p->g, other, &o, prefix);
	free(prefix);
	return e;
}

static const struct cairn_error *gc_check_project(struct repo *other, void *arg)
{
	size_t lost;

	return gcscope_check_refs(&lost, other, ((struct gc_print *)arg)->g, gc_on_lost, arg);
}

static void gc_on_cloud(const struct oid *id, bool removed, void *arg)
{
	const struct remote *rem = arg;

	printf("%s %s from '%s'\n", removed ? "removed" : "would remove", oid_hex(id), rem->name);
}

/*
 * What a folder's manifest names is unknown until the manifest is read: a
 * fresh clone's cache may not hold it. Fetch every unread manifest from the
 * remote and walk it, level by level; one that the remote lacks too stops
 * gc before anything is deleted.
 */
static const struct cairn_error *gc_cloud_manifests(struct gc_print *p, struct remote *rem,
						    struct cache *cache,
						    const struct remote_batch *b)
{
	const struct cairn_error *e = NULL;
	const struct gcroots_unread *u;
	struct remote_item *items;
	size_t i, n;

	while (e == NULL && (u = gcroots_unread(p->g, &n)) != NULL && n) {
		items = xcalloc(n, sizeof(*items));
		for (i = 0; i < n; i++) {
			items[i].id = u[i].id;
			items[i].size = REMOTE_SIZE_UNKNOWN;
		}
		if ((e = rem->ops->get(rem, cache, items, n, b)) == NULL)
			e = cache_flush(cache);
		for (i = 0; e == NULL && i < n; i++)
			if (items[i].state != REMOTE_DONE)
				e = err_hint(err_new(CAIRN_ERR_NOT_FOUND,
						     "the manifest of '%s' (%s) is neither in the cache "
						     "nor on '%s': the files it names are unknown",
						     u[i].path, oid_hex(&u[i].id), rem->name),
					     "nothing was deleted; push it from a clone that has it, "
					     "or keep fewer revisions");
		free(items);
		if (e == NULL)
			gcroots_walk_unread(p->g);
	}
	if (e == NULL && p->have_corrupt)
		e = err_wrap(err_load(&p->corrupt), "cannot collect garbage");
	return e;
}

static const struct cairn_error *gc_cloud(struct cmd_ctx *c, struct gc_print *p,
					  struct cache *cache, int64_t grace_ns)
{
	const struct cairn_error *e;
	struct gcremote_result res;
	struct remote_batch b = { 0 };
	struct remote *rem;
	bool remove = opt_given(c, GC_FORCE) && !p->dry_run;

	if ((e = remote_open(&rem, c->repo->cfg, opt_str(c, GC_REMOTE), c->repo->root)) != NULL)
		return e;
	b.cancel = cmd_cancelled;
	if ((e = gc_cloud_manifests(p, rem, cache, &b)) == NULL)
		e = gcremote_sweep(&res, rem, p->g, fs_now_ns() - grace_ns, remove, &b,
				   p->quiet ? NULL : gc_on_cloud, rem);
	if (e == NULL && !p->quiet) {
		if (res.young)
			printf("kept %llu unreferenced object%s on '%s' younger than gc.grace\n",
			       (unsigned long long)res.young, res.young == 1 ? "" : "s", rem->name);
		printf("%s %llu of %llu object%s on '%s'\n", remove ? "removed" : "would remove",
		       (unsigned long long)res.removed, (unsigned long long)res.listed,
		       res.listed == 1 ? "" : "s", rem->name);
		if (!remove && res.removed && !p->dry_run)
			printf("nothing was deleted: run again with --force to delete them\n");
	}
	remote_close(rem);
	return e;
}

/* Parse the scope options; USAGE errors for what does not fit. */
static const struct cairn_error *gc_scope_opts(struct gcscope_opts *o, struct cmd_ctx *c)
{
	const char *num = opt_str(c, GC_NUM);

	o->workspace = opt_given(c, GC_WORKSPACE);
	o->nrevs = opt_list(c, GC_REV, (const char ***)&o->revs);
	o->all_branches = opt_given(c, GC_BRANCHES);
	o->all_tags = opt_given(c, GC_TAGS);
	o->all_commits = opt_given(c, GC_COMMITS);
	o->all_experiments = opt_given(c, GC_EXPS);
	o->num = 1;
	if (num) {
		char *end;
		long v = strtol(num, &end, 10);

		if (o->nrevs == 0)
			return err_new(CAIRN_ERR_USAGE, "-n/--num needs --rev");
		if (*num == '\0' || *end || v < 1 || v > 1000000)
			return err_new(CAIRN_ERR_USAGE, "--num: '%s' is not a positive number", num);
		o->num = (int)v;
	}
	if (opt_given(c, GC_REMOTE) && !opt_given(c, GC_CLOUD))
		return err_new(CAIRN_ERR_USAGE, "-r/--remote needs --cloud");
	if (!gcscope_any(o))
		return err_hint(err_new(CAIRN_ERR_USAGE, "say what to keep"),
				"use -w (the workspace), --rev, -a (branches), -T (tags), "
				"-A (every commit) or --all-experiments");
	return NULL;
}

/* One line per kept scope: the roots kept. */
static void gc_summary(const struct gc_print *p)
{
	const struct gcroots_scope *sc;
	size_t i, n;

	sc = gcroots_scopes(p->g, &n);
	for (i = 0; i < n; i++)
		printf("kept: %s (%zu pointer%s, %zu object%s)\n", sc[i].name, sc[i].roots,
		       sc[i].roots == 1 ? "" : "s", sc[i].objects, sc[i].objects == 1 ? "" : "s");
}

static const struct cairn_error *cmd_gc(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct gcscope_opts o = { 0 };
	struct gc_result res;
	struct gc_opts go = { 0 };
	struct gc_print p = { 0 };
	struct lock *clk = NULL;
	size_t lost;
	struct work w;

	if ((e = gc_scope_opts(&o, c)) != NULL)
		return e;
	/*
	 * No command adds objects from here on (they hold the cache lock
	 * shared), so an object added but not yet named by a pointer cannot
	 * be taken between reading the roots and the sweep.
	 */
	if (!opt_given(c, GC_CLOUD) && (e = cmd_cache_lock(&clk, c, true)) != NULL)
		return e;
	if ((e = cmd_work_open(&w, c)) != NULL) {
		lock_release(clk);
		return e;
	}
	buf_init(&p.lost);
	p.o = &o;
	p.quiet = c->quiet || opt_given(c, GC_QUIET);
	p.dry_run = go.dry_run = opt_given(c, GC_DRY_RUN);
	p.cloud = opt_given(c, GC_CLOUD);
	if ((e = gc_grace(&go.grace_ns, c->repo->cfg)) != NULL)
		goto done;
	p.g = gcroots_new(w.cache);
	gcroots_on_problem(p.g, gc_on_problem, &p);
	if ((e = gcscope_add(p.g, c->repo, &o, NULL)) != NULL)
		goto done;
	if (!opt_given(c, GC_CLOUD) && (e = gcscope_projects(c->repo, gc_add_project, &p)) != NULL)
		goto done;
	if (p.have_corrupt) {
		e = err_hint(err_wrap(err_load(&p.corrupt), "cannot collect garbage"),
			     "run 'cairn fsck --repair', then fetch the manifest again");
		goto done;
	}
	if ((e = gcscope_check_refs(&lost, c->repo, p.g, gc_on_lost, &p)) != NULL)
		goto done;
	if (!opt_given(c, GC_CLOUD) &&
	    (e = gcscope_projects(c->repo, gc_check_project, &p)) != NULL)
		goto done;
	if (p.nlost && !opt_given(c, GC_FORCE) && !p.dry_run && !opt_given(c, GC_CLOUD)) {
		e = err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				     "branches and tags still name data that is not kept: %s%s",
				     p.lost.s, p.nlost > GC_LOST_SHOWN ? " and more" : ""),
			     "keep it with -a (branches), -T (tags) or -A (every commit), or "
			     "remove it anyway with --force");
		goto done;
	}
	if (!p.quiet) {
		gc_summary(&p);
		if (p.nlost)
			printf("%s data that branches and tags name: %s%s\n",
			       p.dry_run || (opt_given(c, GC_CLOUD) && !opt_given(c, GC_FORCE))
				       ? "would take" : "taking", p.lost.s,
			       p.nlost > GC_LOST_SHOWN ? " and more" : "");
	}
	if (opt_given(c, GC_CLOUD)) {
		e = gc_cloud(c, &p, w.cache, go.grace_ns);
		goto done;
	}
	go.on_remove = gc_on_remove;
	go.arg = &p;
	go.cancel = cmd_cancelled;
	if ((e = gc_sweep(&res, w.cache, p.g, &go)) != NULL)
		goto done;
	if (!p.quiet) {
		if (res.young)
			printf("kept %llu unreferenced object%s younger than gc.grace (%s)\n",
			       (unsigned long long)res.young, res.young == 1 ? "" : "s",
			       cmd_size(res.young_bytes));
		printf("%s %llu object%s", p.dry_run ? "would remove" : "removed",
		       (unsigned long long)res.removed, res.removed == 1 ? "" : "s");
		if (res.temps)
			printf(" and %llu temp file%s", (unsigned long long)res.temps,
			       res.temps == 1 ? "" : "s");
		printf(", %s %s\n", cmd_size(res.removed_bytes + res.temp_bytes),
		       p.dry_run ? "to free" : "freed");
	}
done:
	buf_release(&p.lost);
	gcroots_free(p.g);
	work_close(&w);
	lock_release(clk);
	return e;
}

const struct cmd_entry cmd_gc_entry = {
	.name = "gc",
	.args = "",
	.summary = "remove cache objects that nothing kept names",
	.opts = gc_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_INIT | CMD_WRITES | CMD_OWN_CACHE_LOCK,
	.run = cmd_gc,
};
