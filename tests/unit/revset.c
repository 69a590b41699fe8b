/*
 * tests/unit/revset.c: outputs of revision sets: which options name
 * anything, every distinct pointer once across revisions (a shared seen
 * set), path filters (an output under a folder, a folder's outputs), and
 * unknown revisions.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/oidset.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/revset.h"
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
	char sha[65], *cmd;

	memset(sha, c, 64);
	sha[64] = '\0';
	cmd = xasprintf("mkdir -p \"$(dirname %s)\" && printf 'outs:\\n- path: %%s\\n  hash: sha256\\n"
			"  sha256: %s\\n  size: 1\\n  type: file\\n' \"$(basename %s .cairn)\" >%s",
			file, sha, file, file);
	sh(cmd);
	free(cmd);
}

static char *rels(const struct out_list *l)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < l->n; i++)
		buf_addf(&b, "%s%c;", l->v[i].rel, l->v[i].ptr->id.b[0] == 0xaa ? 'a' : '?');
	return buf_detach(&b);
}

int main(void)
{
	const char *revs[] = { "t1", "main" };
	struct revset_opts o = { 0 };
	struct out_list l = OUT_LIST_INIT;
	struct oidset seen;
	struct repo *r;
	char folder[] = "sub", file[] = "top", *s, *p[1];

	dir = tap_tmpdir();
	sh("git init -q -b main . && git config user.email t@e && git config user.name T");
	ptr("top.cairn", 'a');
	ptr("sub/in.cairn", 'b');
	sh("git add -A && git commit -qm 1 && git tag t1");
	ptr("top.cairn", 'c');
	sh("git commit -qam 2 && git checkout -qb side");
	ptr("sub/in.cairn", 'd');
	sh("git commit -qam s && git checkout -q main");
	if (chdir(dir) < 0 || repo_open(&r) != NULL)
		bail("open");
	ok(!revset_any(&o) && !revset_any(NULL), "nothing named");
	o.revs = revs;
	o.nrevs = 2;
	ok(revset_any(&o), "--rev names something");
	oidset_init(&seen);
	ok_noerr(revset_outs(&l, r, &o, NULL, 0, &seen), "t1 and main");
	is_int(l.n, 3, "top twice (two versions), sub/in once");
	out_list_release(&l);
	ok_noerr(revset_outs(&l, r, &o, NULL, 0, &seen), "again with the same seen set");
	is_int(l.n, 0, "nothing new");
	oidset_release(&seen);
	oidset_init(&seen);
	memset(&o, 0, sizeof(o));
	o.all_branches = true;
	p[0] = folder;
	ok_noerr(revset_outs(&l, r, &o, p, 1, &seen), "-a under sub");
	s = rels(&l);
	is_str(s, "sub/in?;sub/in?;", "both versions of sub/in, nothing else");
	free(s);
	out_list_release(&l);
	oidset_release(&seen);
	oidset_init(&seen);
	p[0] = file;
	ok_noerr(revset_commit_outs(&l, r, "t1", p, 1, &seen, NULL, NULL), "one commit, one path");
	s = rels(&l);
	is_str(s, "topa;", "the first version of top");
	free(s);
	out_list_release(&l);
	oidset_release(&seen);
	oidset_init(&seen);
	o.all_branches = false;
	o.all_commits = true;
	ok_noerr(revset_outs(&l, r, &o, NULL, 0, &seen), "-A");
	is_int(l.n, 4, "every version of every output");
	out_list_release(&l);
	revs[0] = "nope";
	o.revs = revs;
	o.nrevs = 1;
	is_err(revset_outs(&l, r, &o, NULL, 0, &seen), CAIRN_ERR_NOT_FOUND, "an unknown revision");
	out_list_release(&l);
	oidset_release(&seen);
	repo_close(r);
	if (chdir("/") == 0)
		tap_rmtree(dir);
	return tap_done();
}
