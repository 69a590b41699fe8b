/*
 * tests/unit/gcscope.c: gc's scopes read from Git: scope names and counts,
 * what each option keeps (--rev with first parents, branches, tags,
 * experiments, every commit) and what is always kept (workspace, index,
 * stash, other worktrees), the refs check, and other projects on the same cache.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/gcroots.h"
#include "core/gcscope.h"
#include "core/hash.h"
#include "core/repo.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

static char *dir;

static void sh(const char *cmd)
{
	char *full = xasprintf("cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);

	if (system(full) != 0)
		bail("setup failed: %s", cmd);
	free(full);
}

/* Write a pointer file naming content (its id is the hash of content). */
static void ptr(const char *rel, const char *content)
{
	struct oid id;
	char *cmd;

	hash_buf(&id, content, strlen(content));
	cmd = xasprintf("printf 'outs:\\n- path: %s\\n  hash: sha256\\n  sha256: %s\\n  size: %zu\\n"
			"  type: file\\n' >%s.cairn", rel, oid_hex(&id), strlen(content), rel);
	sh(cmd);
	free(cmd);
}

static bool kept(const struct gcroots *g, const char *content)
{
	struct oid id;

	hash_buf(&id, content, strlen(content));
	return gcroots_has(g, &id);
}

/* A root set for options o: the kept contents among the names, as a string. */
static char *keep(struct repo *r, const struct gcscope_opts *o, struct gcroots **gout)
{
	static const char *const all[] = { "a1", "a2", "a3", "af", "ws", "ix", "st", "wt", "e1", NULL };
	struct gcroots *g;
	struct buf b = BUF_INIT;
	struct cache *c;
	int i;

	if (repo_cache(&c, r) != NULL)
		bail("cache");
	g = gcroots_new(c);
	if (gcscope_add(g, r, o, NULL) != NULL) {
		gcroots_free(g);
		return xstrdup("error");
	}
	buf_init(&b);
	for (i = 0; all[i]; i++)
		if (kept(g, all[i]))
			buf_addf(&b, "%s ", all[i]);
	if (gout)
		*gout = g;
	else
		gcroots_free(g);
	return buf_detach(&b);
}

static void test_gcscope__scopes(void)
{
	struct gcscope_opts o = { 0 };
	const struct gcroots_scope *sc;
	const char *revs[] = { "main" };
	struct gcroots *g;
	struct repo *r;
	size_t n;
	char *s;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	ok(!gcscope_any(&o), "no scope named");
	s = keep(r, &o, &g);
	is_str(s, "a3 af ws ix st wt ",
	       "always: the workspace (ws), the index (a3, ix), the stash, the other worktree (af, wt)");
	sc = gcroots_scopes(g, &n);
	is_int(n, 4, "four scopes");
	is_str(n ? sc[0].name : NULL, "workspace", "workspace");
	is_str(n > 1 ? sc[1].name : NULL, "index", "index");
	is_str(n > 2 ? sc[2].name : NULL, "stash", "stash");
	ok(n > 3 && strncmp(sc[3].name, "worktree /", 10) == 0, "worktree PATH");
	gcroots_free(g);
	free(s);
	o.workspace = true;
	s = keep(r, &o, NULL);
	is_str(s, "a3 af ws ix st wt ", "-w keeps nothing more");
	free(s);
	o.workspace = false;
	o.revs = revs;
	o.nrevs = 1;
	o.num = 1;
	s = keep(r, &o, NULL);
	is_str(s, "a3 af ws ix st wt ", "--rev main");
	free(s);
	o.num = 2;
	s = keep(r, &o, &g);
	is_str(s, "a2 a3 af ws ix st wt ", "--rev main -n 2");
	sc = gcroots_scopes(g, &n);
	is_str(sc[n - 1].name, "rev main and 1 first parents", "named after the revision");
	is_int(sc[n - 1].roots, 2, "two pointers read");
	gcroots_free(g);
	free(s);
	memset(&o, 0, sizeof(o));
	o.all_branches = true;
	s = keep(r, &o, NULL);
	is_str(s, "a3 af ws ix st wt ", "-a");
	free(s);
	o.all_branches = false;
	o.all_tags = true;
	s = keep(r, &o, NULL);
	is_str(s, "a1 a3 af ws ix st wt ", "-T");
	free(s);
	o.all_tags = false;
	o.all_experiments = true;
	s = keep(r, &o, NULL);
	is_str(s, "a3 af ws ix st wt e1 ", "--all-experiments");
	free(s);
	o.all_experiments = false;
	o.all_commits = true;
	s = keep(r, &o, NULL);
	is_str(s, "a1 a2 a3 af ws ix st wt e1 ", "-A");
	free(s);
	revs[0] = "nope";
	o.revs = revs;
	o.nrevs = 1;
	s = keep(r, &o, NULL);
	is_str(s, "error", "an unknown revision is an error");
	free(s);
	repo_close(r);
}

static void lost_cb(const char *ref, const char *path, void *arg)
{
	buf_addf(arg, "%s:%s;", ref, path);
}

static void test_gcscope__refs(void)
{
	struct gcscope_opts o = { 0 };
	struct gcroots *g;
	struct buf b = BUF_INIT;
	struct repo *r;
	size_t lost = 0;
	char *s;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	o.workspace = true;
	s = keep(r, &o, &g);
	buf_init(&b);
	ok_noerr(gcscope_check_refs(&lost, r, g, lost_cb, &b), "check the refs");
	/* a1 is in the cache and kept by nothing; a3 is kept (index); a2 is not in the cache */
	is_int(lost, 1, "one pointer would lose its data");
	is_str(b.s, "refs/tags/v1:a;", "the tag, named");
	gcroots_free(g);
	free(s);
	o.all_tags = true;
	o.all_branches = true;
	s = keep(r, &o, &g);
	buf_reset(&b);
	ok_noerr(gcscope_check_refs(&lost, r, g, lost_cb, &b), "with -a -T");
	is_int(lost, 0, "nothing lost");
	gcroots_free(g);
	free(s);
	buf_release(&b);
	repo_close(r);
}

static const struct cairn_error *count_project(struct repo *other, void *arg)
{
	buf_addf(arg, "%s;", strrchr(other->root, '/') + 1);
	return NULL;
}

static void test_gcscope__projects(void)
{
	struct buf b = BUF_INIT;
	struct repo *r, *p2;
	struct cache *c;
	char *p2dir = xasprintf("%s/../%s-p2", dir, strrchr(dir, '/') + 1);

	sh("git init -q ../$(basename $PWD)-p2 && mkdir ../$(basename $PWD)-p2/.cairn && "
	   "git -C ../$(basename $PWD)-p2 config -f .cairn/config cache.dir \"$PWD/.cairn/cache\"");
	if (!ok_noerr(repo_open(&r), "open") || !ok_noerr(repo_open_at(&p2, p2dir), "open p2"))
		bail("open");
	ok_noerr(repo_cache(&c, p2), "p2 opens the shared cache, registering");
	repo_close(p2);
	ok_noerr(repo_cache(&c, r), "this project registers too");
	buf_init(&b);
	ok_noerr(gcscope_projects(r, count_project, &b), "projects");
	ok(strstr(b.s, "-p2;") != NULL && strchr(b.s, ';') == strrchr(b.s, ';'),
	   "the other project, not this one: %s", b.s);
	sh("git -C ../$(basename $PWD)-p2 config -f .cairn/config cache.dir elsewhere");
	buf_reset(&b);
	ok_noerr(gcscope_projects(r, count_project, &b), "after p2 moved");
	is_str(b.s, "", "a project on another cache is forgotten");
	sh("git -C ../$(basename $PWD)-p2 config -f .cairn/config cache.dir \"$PWD/.cairn/cache\"");
	if (repo_open_at(&p2, p2dir) == NULL) {
		repo_cache(&c, p2);
		repo_close(p2);
	}
	sh("rm -rf ../$(basename $PWD)-p2");
	is_err(gcscope_projects(r, count_project, &b), CAIRN_ERR_NOT_FOUND,
	       "a project that is gone is an error");
	buf_release(&b);
	repo_close(r);
	free(p2dir);
}

int main(void)
{
	dir = tap_tmpdir();
	sh("git init -q -b main . && git config user.email t@e && git config user.name T && "
	   "mkdir -p .cairn/cache && printf '/cache/\\n/tmp/\\n' >.cairn/.gitignore");
	ptr("a", "a1");
	sh("git add -A && git commit -qm 1 && git tag v1");
	ptr("a", "a2");
	sh("git commit -qam 2 && git checkout -qb feat");
	ptr("a", "af");
	sh("git commit -qam f && git checkout -q main");
	ptr("a", "a3");
	sh("git commit -qam 3 && git checkout -qb e");
	ptr("e", "e1");
	sh("git add -A && git commit -qm e && git update-ref refs/cairn/exps/e1 HEAD && "
	   "git checkout -q main && git branch -qD e");
	ptr("st", "st");
	sh("git add st.cairn && git stash -q");
	ptr("ix", "ix");
	sh("git add ix.cairn");
	ptr("ws", "ws");
	sh("git worktree add -q ../$(basename $PWD)-wt feat");
	sh("cd ../$(basename $PWD)-wt && printf 'outs:\\n- path: wt\\n  hash: sha256\\n  sha256: "
	   "%s\\n  size: 2\\n  type: file\\n' $(printf wt | sha256sum | cut -c1-64) >wt.cairn");
	/* a1 and a3 in the cache (for the refs check) */
	sh("for v in a1 a3; do h=$(printf $v | sha256sum | cut -c1-64); mkdir -p .cairn/cache/sha256/$(echo $h | cut -c1-2); "
	   "printf $v >.cairn/cache/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-); done");
	if (chdir(dir) < 0)
		bail("chdir");
	TAP_RUN(test_gcscope__scopes);
	TAP_RUN(test_gcscope__refs);
	TAP_RUN(test_gcscope__projects);
	sh("rm -rf ../$(basename $PWD)-wt");
	if (chdir("/") == 0)
		tap_rmtree(dir);
	return tap_done();
}
