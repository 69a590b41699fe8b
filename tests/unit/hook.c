/*
 * tests/unit/hook.c: the hook logic without git running it: hooks.precommit
 * values, pre-commit findings (clean, data that differs, data not in the
 * cache, pointers unchanged since HEAD, an unreadable index), and the
 * post-checkout family (restored, kept, missing, only changed pointers).
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/add.h"
#include "core/cache.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/work.h"
#include "core/xmalloc.h"
#include "hooks/hook.h"
#include "tests/unit/tap.h"

static char *dir;

static void sh(const char *cmd)
{
	char *full = xasprintf("cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);

	if (system(full) != 0)
		bail("setup failed: %s", cmd);
	free(full);
}

struct seen {
	int n[HOOK_FAILED + 1];
	char last[256];
};

static void on_note(enum hook_note n, const struct out *o, const struct cairn_error *e, void *arg)
{
	struct seen *s = arg;

	(void)e;
	s->n[n]++;
	snprintf(s->last, sizeof(s->last), "%s", o->rel);
}

/* Open the repository and its workspace context; the caller closes both. */
static void open_work(struct repo **r, struct work *w)
{
	if (repo_open(r) != NULL || work_open(w, *r) != NULL)
		bail("open");
}

static void close_work(struct repo *r, struct work *w)
{
	work_close(w);
	repo_close(r);
}

static void track(const char *rel, const char *content)
{
	struct add_result res;
	struct repo *r;
	struct work w;
	char *cmd = xasprintf("chmod -f u+w %s; printf '%s' >%s", rel, content, rel);

	sh(cmd);
	free(cmd);
	open_work(&r, &w);
	if (add_check(&w, rel) != NULL && false)
		bail("check");
	if (add_path(&res, &w, rel) != NULL)
		bail("add %s", rel);
	close_work(r, &w);
}

static void drop_object_of(const char *ptr_rel)
{
	struct repo *r;
	struct work w;
	struct out o;
	char *p;

	open_work(&r, &w);
	if (out_load(&o, r, ptr_rel) != NULL)
		bail("load %s", ptr_rel);
	p = cache_path(w.cache, &o.ptr->id);
	if (unlink(p) != 0)
		bail("unlink");
	free(p);
	out_release(&o);
	close_work(r, &w);
}

static void test_hook__precommit_setting(void)
{
	struct repo *r;
	struct work w;
	bool warn = true;

	open_work(&r, &w);
	ok_noerr(hook_precommit_warns(&warn, &w), "unset");
	ok(!warn, "stops the commit by default");
	close_work(r, &w);
	sh("git config -f .cairn/config hooks.precommit WARN");
	open_work(&r, &w);
	ok_noerr(hook_precommit_warns(&warn, &w), "warn");
	ok(warn, "warns (any letter case)");
	close_work(r, &w);
	sh("git config -f .cairn/config hooks.precommit sometimes");
	open_work(&r, &w);
	is_err(hook_precommit_warns(&warn, &w), CAIRN_ERR_FORMAT, "another value is an error");
	close_work(r, &w);
	sh("git config -f .cairn/config hooks.precommit error");
}

static void test_hook__pre_commit(void)
{
	struct seen s;
	struct repo *r;
	struct work w;
	size_t problems = 99;

	track("a", "a1\n");
	sh("git add -A && git commit -qm a");
	memset(&s, 0, sizeof(s));
	open_work(&r, &w);
	ok_noerr(hook_pre_commit(&problems, &w, NULL, on_note, &s), "clean");
	is_int(problems, 0, "no problem");
	close_work(r, &w);

	sh("chmod u+w a && echo changed >a");
	open_work(&r, &w);
	ok_noerr(hook_pre_commit(&problems, &w, NULL, on_note, &s), "data changed");
	is_int(problems, 1, "one problem");
	is_int(s.n[HOOK_DIFFERS], 1, "the data differs from its staged pointer");
	is_str(s.last, "a", "named");
	close_work(r, &w);
	sh("rm a");

	/* a new pointer whose data is gone from the cache */
	track("b", "b1\n");
	sh("git add -A");
	drop_object_of("b.cairn");
	memset(&s, 0, sizeof(s));
	open_work(&r, &w);
	ok_noerr(hook_pre_commit(&problems, &w, NULL, on_note, &s), "new pointer, no data");
	is_int(s.n[HOOK_NOT_CACHED], 1, "its data is not in the cache");
	is_int(s.n[HOOK_DIFFERS], 0, "the data on disk still matches");
	close_work(r, &w);
	track("b", "b1\n");
	sh("git add -A && git commit -qm b");

	/* unchanged since HEAD: not checked against the cache */
	drop_object_of("b.cairn");
	sh("rm -f b");
	memset(&s, 0, sizeof(s));
	open_work(&r, &w);
	ok_noerr(hook_pre_commit(&problems, &w, NULL, on_note, &s), "unchanged pointer");
	is_int(problems, 0, "a pointer committed before is not checked again");
	is_err(hook_pre_commit(&problems, &w, "no/such/index", on_note, &s), CAIRN_ERR_NOT_FOUND,
	       "an unreadable index file is an error");
	close_work(r, &w);
	track("b", "b1\n");
}

static void test_hook__checkout(void)
{
	struct out_list missing = OUT_LIST_INIT;
	struct seen s;
	struct repo *r;
	struct work w;
	size_t problems = 99;

	sh("git checkout -q -b other");
	track("a", "a2\n");
	track("c", "c2\n");
	sh("git add -A && git commit -qm other && git checkout -q -");
	/* git changed the pointers, not the data: a and c are still version 2 */
	memset(&s, 0, sizeof(s));
	open_work(&r, &w);
	ok_noerr(hook_checkout(&problems, &w, "other", &missing, on_note, &s), "after a checkout");
	is_int(s.n[HOOK_RESTORED], 1, "a is restored (c is no longer tracked)");
	is_str(s.last, "a", "a");
	close_work(r, &w);

	sh("git checkout -q other");
	sh("chmod u+w a && echo mine >a");
	drop_object_of("c.cairn");
	sh("rm c");
	memset(&s, 0, sizeof(s));
	open_work(&r, &w);
	ok_noerr(hook_checkout(&problems, &w, "main", &missing, on_note, &s), "back to other");
	is_int(s.n[HOOK_KEPT], 1, "modified data is kept");
	is_int(s.n[HOOK_MISSING], 1, "data not in the cache is reported");
	is_int(problems, 0, "neither is a failure");
	is_int(missing.n, 1, "the missing output is handed back");
	is_str(missing.n ? missing.v[0].rel : NULL, "c", "c");
	memset(&s, 0, sizeof(s));
	ok_noerr(hook_checkout(&problems, &w, "HEAD", NULL, on_note, &s), "since HEAD itself");
	is_int(s.n[HOOK_KEPT] + s.n[HOOK_MISSING] + s.n[HOOK_RESTORED], 0,
	       "pointers equal to the previous revision are left alone");
	memset(&s, 0, sizeof(s));
	ok_noerr(hook_checkout(&problems, &w, NULL, NULL, on_note, &s), "every pointer");
	is_int(s.n[HOOK_KEPT] + s.n[HOOK_MISSING], 2, "are all checked");
	ok_noerr(hook_checkout(&problems, &w, "no-such-rev", NULL, on_note, &s),
	       "an unknown previous revision means every pointer");
	close_work(r, &w);
	out_list_release(&missing);
}

static char *rev_hex(const char *spec)
{
	char *cmd = xasprintf("cd '%s' && git rev-parse %s", dir, spec), line[128] = "";
	FILE *f = popen(cmd, "r");

	if (f == NULL || fgets(line, sizeof(line), f) == NULL)
		bail("rev-parse %s", spec);
	pclose(f);
	free(cmd);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static void test_hook__pre_push(void)
{
	struct out_list outs = OUT_LIST_INIT;
	struct repo *r;
	char *main_hex = rev_hex("main"), *other = rev_hex("other"), *first = rev_hex("main~2");
	char *in;
	size_t ntips = 99;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	in = xasprintf("refs/heads/other %s refs/heads/other %040d\n", other, 0);
	ok_noerr(hook_pre_push_outs(&outs, &ntips, r, in, NULL, NULL), "a new branch");
	is_int(ntips, 3, "the tip's pointers first (a, b, c)");
	ok(outs.n >= ntips, "then the older ones (%zu)", outs.n);
	out_list_release(&outs);
	free(in);
	in = xasprintf("refs/heads/main %s refs/heads/main %s\n\n", main_hex, main_hex);
	ok_noerr(hook_pre_push_outs(&outs, &ntips, r, in, NULL, NULL), "the server has the tip already");
	is_int(outs.n, ntips, "only the tip is read");
	out_list_release(&outs);
	free(in);
	in = xasprintf("(delete) %040d refs/heads/gone %s\n", 0, first);
	ok_noerr(hook_pre_push_outs(&outs, &ntips, r, in, NULL, NULL), "a deletion");
	is_int(outs.n, 0, "pushes nothing");
	free(in);
	is_err(hook_pre_push_outs(&outs, &ntips, r, "refs/heads/x 123 refs/heads/x 456\n", NULL, NULL),
	       CAIRN_ERR_USAGE, "short ids are malformed");
	is_err(hook_pre_push_outs(&outs, &ntips, r, "only three fields\n", NULL, NULL), CAIRN_ERR_USAGE,
	       "three fields are malformed");
	out_list_release(&outs);
	repo_close(r);
	free(main_hex);
	free(other);
	free(first);
}

int main(void)
{
	dir = tap_tmpdir();
	sh("git init -q -b main . && git config user.email t@e && git config user.name T && "
	   "mkdir .cairn && printf '/cache/\\n/tmp/\\n' >.cairn/.gitignore && "
	   "git config -f .cairn/config core.jobs 1 && git add -A && git commit -qm 0");
	if (chdir(dir) < 0)
		bail("chdir");
	TAP_RUN(test_hook__precommit_setting);
	TAP_RUN(test_hook__pre_commit);
	TAP_RUN(test_hook__checkout);
	TAP_RUN(test_hook__pre_push);
	if (chdir("/") == 0)
		tap_rmtree(dir);
	return tap_done();
}
