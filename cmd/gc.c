/*
 * gc.c: cairn gc -w [--dry-run]: remove cache objects that no kept scope
 * names and that are older than gc.grace. Scopes are added to a root set
 * (core/gcroots.h); a scope must be named, so gc never runs on an empty
 * set by accident. Prints what it keeps, what it removes and the bytes
 * freed. See cairn-gc(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/cache.h"
#include "core/gc.h"
#include "core/gcroots.h"
#include "core/repo.h"
#include "core/work.h"

static const struct opt_spec gc_opts[] = {
	{ 'w', "workspace", NULL, "keep what the pointer files of the work tree name" },
	{ 'n', "dry-run", NULL, "show what would be removed; remove nothing" },
	{ 'q', "quiet", NULL, "print nothing but errors" },
	{ 0, NULL, NULL, NULL },
};

enum { GC_WORKSPACE, GC_DRY_RUN, GC_QUIET };

struct gc_print {
	bool quiet, dry_run;
	struct err_copy corrupt; /* first corrupt manifest met */
	bool have_corrupt;
};

static void gc_on_problem(enum gcroots_problem kind, const struct oid *id, const char *path,
			  const char *msg, void *arg)
{
	struct gc_print *p = arg;

	if (kind == GCROOTS_CORRUPT && !p->have_corrupt) {
		err_save(&p->corrupt, err_new(CAIRN_ERR_CORRUPT, "manifest %s of '%s': %s",
					      oid_hex(id), path, msg));
		p->have_corrupt = true;
	} else if (kind == GCROOTS_MISSING && !p->quiet) {
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

static const struct cairn_error *cmd_gc(struct cmd_ctx *c)
{
	const struct cairn_error *e;
	struct gcroots *g = NULL;
	struct gc_result res;
	struct gc_opts go = { 0 };
	struct gc_print p = { 0 };
	const struct gcroots_scope *sc;
	struct work w;
	size_t i, n;

	if ((e = cmd_work_open(&w, c)) != NULL)
		return e;
	p.quiet = c->quiet || opt_given(c, GC_QUIET);
	p.dry_run = go.dry_run = opt_given(c, GC_DRY_RUN);
	if ((e = gc_grace(&go.grace_ns, c->repo->cfg)) != NULL)
		goto done;
	g = gcroots_new(w.cache);
	gcroots_on_problem(g, gc_on_problem, &p);
	/*
	 * One block per scope flag: each starts its scope (gcroots_scope) and
	 * adds what it keeps (gcroots_add_outs for the pointers of a revision,
	 * the index or another worktree; gcroots_add_ptr/_tree/_object for
	 * cairn.lock). The summary and the sweep need nothing else.
	 */
	if (opt_given(c, GC_WORKSPACE) && (e = gcroots_add_workspace(g, c->repo)) != NULL)
		goto done;
	sc = gcroots_scopes(g, &n);
	if (n == 0) {
		e = err_hint(err_new(CAIRN_ERR_USAGE, "say what to keep"),
			     "use -w to keep what the workspace's pointer files name");
		goto done;
	}
	if (p.have_corrupt) {
		e = err_hint(err_wrap(err_load(&p.corrupt), "cannot collect garbage"),
			     "run 'cairn fsck --repair', then fetch the manifest again");
		goto done;
	}
	for (i = 0; i < n && !p.quiet; i++)
		printf("kept: %s (%zu pointer%s, %zu object%s)\n", sc[i].name, sc[i].roots,
		       sc[i].roots == 1 ? "" : "s", sc[i].objects, sc[i].objects == 1 ? "" : "s");
	go.on_remove = gc_on_remove;
	go.arg = &p;
	go.cancel = cmd_cancelled;
	if ((e = gc_sweep(&res, w.cache, g, &go)) != NULL)
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
	gcroots_free(g);
	work_close(&w);
	return e;
}

const struct cmd_entry cmd_gc_entry = {
	.name = "gc",
	.args = "",
	.summary = "remove cache objects that nothing kept names",
	.opts = gc_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_INIT | CMD_WRITES,
	.run = cmd_gc,
};
