/*
 * tests/unit/revwalk.c: commit enumerations and the once-per-walk pointer
 * reader: refs by prefix (annotated tags peeled, a tag of a blob skipped),
 * the whole history, first parents, push ranges (unknown hide), stash
 * entries with their index and untracked commits, other work trees (and a
 * missing one), and rev_pointers_unseen reading shared trees once.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/revwalk.h"
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

static void ptr(const char *file, char c)
{
	char sha[65];
	char *cmd;

	memset(sha, c, 64);
	sha[64] = '\0';
	cmd = xasprintf("mkdir -p \"$(dirname %s)\" && printf 'outs:\\n- path: %%s\\n  hash: sha256\\n"
			      "  sha256: %s\\n  size: 1\\n  type: file\\n' \"$(basename %s .cairn)\" >%s",
			      file, sha, file, file);

	sh(cmd);
	free(cmd);
}


static const struct cairn_error *collect(const char *hex, const char *what, void *arg)
{
	buf_addf(arg, "%.7s %s;", hex, what);
	return NULL;
}

static const struct cairn_error *collect_what(const char *hex, const char *what, void *arg)
{
	(void)hex;
	buf_addf(arg, "%s;", what);
	return NULL;
}

static const struct cairn_error *collect_tree(const char *root, const char *name, void *arg)
{
	buf_addf(arg, "%s=%s;", name, strrchr(root, '/') + 1);
	return NULL;
}

static char *hexof(const char *spec)
{
	char *cmd = xasprintf("cd '%s' && git rev-parse --short=7 %s", dir, spec), line[64] = "";
	FILE *f = popen(cmd, "r");

	if (f == NULL || fgets(line, sizeof(line), f) == NULL)
		bail("rev-parse %s", spec);
	pclose(f);
	free(cmd);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static void test_revwalk__refs(void)
{
	struct buf b = BUF_INIT;
	struct repo *r;
	char *c1 = hexof("c1"), *c2 = hexof("main"), *want;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	buf_init(&b);
	ok_noerr(revwalk_refs(r, "refs/tags/", collect, &b), "tags");
	want = xasprintf("%s refs/tags/annotated;%s refs/tags/c1;", c2, c1);
	is_str(b.s, want, "annotated tags peeled, a tag of a blob skipped, name order");
	free(want);
	buf_reset(&b);
	ok_noerr(revwalk_refs(r, "refs/cairn/exps/", collect_what, &b), "experiments");
	is_str(b.s, "refs/cairn/exps/e1;", "the experiment ref");
	buf_reset(&b);
	ok_noerr(revwalk_refs(r, "refs/heads/", collect_what, &b), "branches");
	is_str(b.s, "refs/heads/main;refs/heads/side;", "every branch");
	buf_release(&b);
	repo_close(r);
	free(c1);
	free(c2);
}

static void test_revwalk__history(void)
{
	struct buf b = BUF_INIT;
	struct repo *r;
	int n = 0;
	const char *p;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	buf_init(&b);
	ok_noerr(revwalk_all(r, collect_what, &b), "all commits");
	for (p = b.s; (p = strstr(p, "commit;")) != NULL; p++)
		n++;
	is_int(n, 7, "c1, main, side, the experiment, and refs/stash with its index and untracked commits");
	buf_reset(&b);
	ok_noerr(revwalk_first_parents(r, "main", 5, collect_what, &b), "first parents");
	is_str(b.s, "main;main~1;", "stops at the root");
	buf_reset(&b);
	ok_noerr(revwalk_first_parents(r, "main", 1, collect_what, &b), "one commit");
	is_str(b.s, "main;", "just the revision");
	is_err(revwalk_first_parents(r, "nope", 1, collect_what, &b), CAIRN_ERR_NOT_FOUND,
	       "an unknown revision");
	buf_reset(&b);
	{
		char *side = hexof("side"), *c1 = hexof("c1"), *full_side, *full_c1;
		char *cmd;
		FILE *f;
		char line[64];

		cmd = xasprintf("cd '%s' && git rev-parse side c1", dir);
		f = popen(cmd, "r");
		full_side = fgets(line, sizeof(line), f) ? xstrndup(line, 40) : xstrdup("");
		full_c1 = fgets(line, sizeof(line), f) ? xstrndup(line, 40) : xstrdup("");
		pclose(f);
		free(cmd);
		ok_noerr(revwalk_new(r, full_side, full_c1, collect, &b), "a push range");
		ok(strstr(b.s, side) != NULL && strstr(b.s, c1) == NULL, "new commits only: %s", b.s);
		buf_reset(&b);
		ok_noerr(revwalk_new(r, full_side, "0000000000000000000000000000000000000000", collect,
				     &b), "a new branch (zero id)");
		ok(strstr(b.s, c1) != NULL, "walks to the root");
		buf_reset(&b);
		ok_noerr(revwalk_new(r, full_side, "1234567812345678123456781234567812345678", collect,
				     &b), "a hide the repository does not have");
		ok(strstr(b.s, c1) != NULL, "hides nothing");
		is_err(revwalk_new(r, "1234567812345678123456781234567812345678", NULL, collect, &b),
		       CAIRN_ERR_NOT_FOUND, "an unknown commit to push");
		free(side);
		free(c1);
		free(full_side);
		free(full_c1);
	}
	buf_release(&b);
	repo_close(r);
}

static void test_revwalk__stash(void)
{
	struct buf b = BUF_INIT;
	struct repo *r;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	buf_init(&b);
	ok_noerr(revwalk_stash(r, collect_what, &b), "stash");
	is_str(b.s, "stash@{0};stash@{0} index;stash@{0} untracked;stash@{1};stash@{1} index;",
	       "every entry with its index and untracked commits");
	buf_release(&b);
	repo_close(r);
}

static void test_revwalk__worktrees(void)
{
	struct buf b = BUF_INIT;
	struct repo *r, *w;
	char *wt = xasprintf("%s/../%s-wt", dir, strrchr(dir, '/') + 1);

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	buf_init(&b);
	ok_noerr(revwalk_worktrees(r, collect_tree, &b), "worktrees");
	ok(strstr(b.s, "-wt;") != NULL && strstr(b.s, "main=") == NULL, "the linked one: %s", b.s);
	buf_reset(&b);
	if (ok_noerr(repo_open_at(&w, wt), "open the linked worktree")) {
		ok_noerr(revwalk_worktrees(w, collect_tree, &b), "from the linked worktree");
		ok(strncmp(b.s, "main=", 5) == 0 && strstr(b.s, "-wt;") == NULL,
		   "the main one, not itself: %s", b.s);
		repo_close(w);
	}
	sh("mv ../$(basename $PWD)-wt ../gone-wt");
	is_err(revwalk_worktrees(r, collect_tree, &b), CAIRN_ERR_NOT_FOUND,
	       "a worktree whose folder is gone");
	sh("mv ../gone-wt ../$(basename $PWD)-wt");
	buf_release(&b);
	repo_close(r);
	free(wt);
}

static void test_rev__unseen(void)
{
	struct out_list l = OUT_LIST_INIT;
	struct oidset seen;
	struct repo *r;

	if (!ok_noerr(repo_open(&r), "open"))
		return;
	oidset_init(&seen);
	ok_noerr(rev_pointers_unseen(&l, r, "main", &seen), "main");
	is_int(l.n, 3, "every pointer of main");
	out_list_release(&l);
	ok_noerr(rev_pointers_unseen(&l, r, "refs/tags/annotated", &seen), "the same tree again");
	is_int(l.n, 0, "nothing new");
	ok_noerr(rev_pointers_unseen(&l, r, "side", &seen), "side");
	is_int(l.n, 1, "only the pointer side changed (the shared subtree is skipped)");
	is_str(l.n ? l.v[0].rel : NULL, "s", "s");
	out_list_release(&l);
	oidset_release(&seen);
	repo_close(r);
}

int main(void)
{
	dir = tap_tmpdir();
	sh("git init -q -b main . && git config user.email t@e && git config user.name T");
	ptr("a.cairn", 'a');
	ptr("deep/er/b.cairn", 'b');
	sh("git add -A && git commit -qm c1 && git tag c1");
	ptr("c.cairn", 'c');
	sh("git add -A && git commit -qm c2 && git tag -a -m ann annotated && "
	   "git tag blobtag $(git hash-object -w c.cairn)");
	sh("git checkout -qb side");
	ptr("s.cairn", 'd');
	sh("git add -A && git commit -qm side && git checkout -q main");
	sh("git checkout -qb e && echo e >e && git add e && git commit -qm e && "
	   "git update-ref refs/cairn/exps/e1 HEAD && git checkout -q main && git branch -qD e");
	sh("echo x >>c.cairn && git stash -q && echo y >>a.cairn && echo u >untracked && "
	   "git stash -q -u");
	sh("git worktree add -q ../$(basename $PWD)-wt side");
	if (chdir(dir) < 0)
		bail("chdir");
	TAP_RUN(test_revwalk__refs);
	TAP_RUN(test_revwalk__history);
	TAP_RUN(test_revwalk__stash);
	TAP_RUN(test_revwalk__worktrees);
	TAP_RUN(test_rev__unseen);
	sh("rm -rf ../$(basename $PWD)-wt");
	if (chdir("/") == 0)
		tap_rmtree(dir);
	return tap_done();
}
