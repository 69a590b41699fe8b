/*
 * tests/unit/stageout.c: the data side of stages: hashing files, folders,
 * external paths; refusing symlinks; storing into the cache; clearing only
 * what the cache holds; restoring; the outputs cairn.lock records as
 * struct out (workspace and revision); temporary worktrees (wtree.h).
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/hash.h"
#include "core/lockfile.h"
#include "core/out.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/stageout.h"
#include "core/work.h"
#include "core/wtree.h"
#include "tests/unit/tap.h"

static char *dir;

static void sh(const char *cmd)
{
	char *full = malloc(strlen(cmd) + strlen(dir) + 64);

	sprintf(full, "cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);
	if (system(full) != 0)
		bail("setup failed: %s", cmd);
	free(full);
}

static struct repo *r;
static struct work w;

static void setup(void)
{
	dir = tap_tmpdir();
	sh("git init -q . && git config user.email a@b && git config user.name a && mkdir .cairn && "
	   "printf 'hello\\n' >a.txt && printf 'other\\n' >b.txt && mkdir -p d/e && echo x >d/x && "
	   "echo y >d/e/y && ln -s a.txt s && mkdir ext && echo out >ext/f");
	if (chdir(dir) != 0 || repo_open(&r) != NULL || work_open(&w, r) != NULL)
		bail("open");
}

static void test_stageout__hash(void)
{
	struct lockfile_entry en;
	struct oid want;
	char *ext;

	hash_buf(&want, "hello\n", 6);
	ok_noerr(stageout_hash(&en, &w, "a.txt", false, false), "hash a file");
	ok(oid_equal(&en.id, &want) && en.size == 6 && !en.dir, "its id and size");
	ok(!cache_has(w.cache, &want), "not stored without store");
	free(en.path);
	ok_noerr(stageout_hash(&en, &w, "a.txt", false, true), "store it");
	ok(cache_has(w.cache, &want), "stored");
	free(en.path);
	ok_noerr(stageout_hash(&en, &w, "d", false, false), "hash a folder");
	ok(en.dir && en.nfiles == 2 && en.size == 4, "a folder's tree");
	free(en.path);
	is_err(stageout_hash(&en, &w, "nope", false, false), CAIRN_ERR_NOT_FOUND, "missing");
	free(en.path);
	is_err(stageout_hash(&en, &w, "s", false, false), CAIRN_ERR_USAGE, "a symlink is refused");
	free(en.path);
	ext = malloc(strlen(dir) + 16);
	sprintf(ext, "%s/ext/f", dir);
	ok_noerr(stageout_hash(&en, &w, ext, true, false), "an external file by absolute path");
	hash_buf(&want, "out\n", 4);
	ok(oid_equal(&en.id, &want), "its id");
	is_str(en.path, ext, "recorded by its path");
	free(en.path);
	free(ext);
}

static void test_stageout__clear_restore(void)
{
	struct lockfile_entry en;
	struct stat st;

	ok_noerr(stageout_clear(&w, "b.txt", false), "clear what the cache lacks");
	ok(lstat("b.txt", &st) == 0, "is a no-op: b.txt stays");
	ok_noerr(stageout_clear(&w, "a.txt", false), "clear what the cache has");
	ok(lstat("a.txt", &st) < 0, "removes it");
	ok_noerr(stageout_clear(&w, "nope", false), "clear of nothing");
	memset(&en, 0, sizeof(en));
	en.path = (char *)"sub/a.txt";
	hash_buf(&en.id, "hello\n", 6);
	en.size = 6;
	ok_noerr(stageout_restore(&w, &en, false), "restore into a new folder");
	ok(lstat("sub/a.txt", &st) == 0 && st.st_size == 6, "restored");
	ok_noerr(stageout_ignore(&w, "sub/a.txt"), "ignore");
	ok(lstat("sub/.gitignore", &st) == 0, "a .gitignore beside it");
}

static void test_stageout__collect(void)
{
	struct out_list l = OUT_LIST_INIT;
	char *one[] = { (char *)"sub/a.txt" }, *none[] = { (char *)"zzz" };
	char hex[CAIRN_OID_HEXLEN + 1];
	struct oid id;
	FILE *f;

	hash_buf(&id, "hello\n", 6);
	oid_tohex(hex, &id);
	f = fopen("cairn.lock", "w");
	fprintf(f, "stages:\n  s:\n    cmd: x\n    outs:\n    - path: sub/a.txt\n      sha256: %s\n"
		   "      size: 6\n",
		hex);
	fclose(f);
	ok_noerr(stageout_collect(&l, r, NULL, 0), "every output");
	ok(l.n == 1 && strcmp(l.v[0].rel, "sub/a.txt") == 0 &&
		   strcmp(l.v[0].ptr_rel, "cairn.lock") == 0,
	   "the lockfile's output");
	out_list_release(&l);
	ok_noerr(stageout_collect(&l, r, one, 1), "named");
	is_int(l.n, 1, "found by its path");
	out_list_release(&l);
	is_err(stageout_collect(&l, r, none, 1), CAIRN_ERR_NOT_TRACKED, "an untracked path");
	out_list_release(&l);
	sh("git add cairn.lock && git commit -qm lock");
	ok_noerr(stageout_rev_collect(&l, r, "HEAD"), "outputs of a revision");
	ok(l.n == 1 && strcmp(l.v[0].rel, "sub/a.txt") == 0, "read from Git");
	out_list_release(&l);
	f = fopen("cairn.lock", "w");
	fprintf(f, "<<<<<<< HEAD\nstages: {}\n=======\n>>>>>>> x\n");
	fclose(f);
	is_err(stageout_collect(&l, r, NULL, 0), CAIRN_ERR_FORMAT, "conflict markers stop it");
	out_list_release(&l);
	sh("git checkout -q cairn.lock");
}

static void test_wtree__add_remove(void)
{
	char head[REV_HEXLEN + 1], *path = NULL, *main_root, *file;
	struct stat st;

	if (rev_resolve(head, r, "HEAD") != NULL)
		bail("HEAD");
	ok_noerr(wtree_add(&path, r, head, "t"), "add a worktree");
	ok(path && strstr(path, "/.cairn/tmp/wt/t-") != NULL, "under .cairn/tmp/wt");
	file = malloc(strlen(path) + 32);
	sprintf(file, "%s/cairn.lock", path);
	ok(lstat(file, &st) == 0, "checked out");
	sprintf(file, "%s/.cairn", path);
	ok(lstat(file, &st) == 0 && S_ISDIR(st.st_mode), "with a .cairn folder");
	main_root = wtree_main_root(r);
	is_str(main_root, r->root, "the main root of the main work tree");
	free(main_root);
	ok_noerr(wtree_remove(r, path), "remove it");
	ok(lstat(path, &st) < 0, "gone");
	free(path);
	path = NULL;
	is_err(wtree_add(&path, r, "0000000000000000000000000000000000000000", "t"), CAIRN_ERR_GIT,
	       "an unknown commit");
	free(file);
	free(path);
}

int main(void)
{
	setup();
	TAP_RUN(test_stageout__hash);
	TAP_RUN(test_stageout__clear_restore);
	TAP_RUN(test_stageout__collect);
	TAP_RUN(test_wtree__add_remove);
	work_close(&w);
	repo_close(r);
	if (chdir("/") == 0)
		tap_rmtree(dir);
	return tap_done();
}
