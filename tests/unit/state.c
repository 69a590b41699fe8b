/*
 * tests/unit/state.c: the state database: the racy rule (fine and coarse
 * timestamps), every stat field invalidating an entry, preloaded and point
 * lookups agreeing, folder rows, forget and move of subtrees, and a damaged
 * or foreign file only costing the cache.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hash.h"
#include "core/state.h"
#include "tests/unit/tap.h"

#define SEC 1000000000LL

static char *dir;
static char path[4096];

static void mkstat(struct stat *st, long long mtime_ns, long long ctime_ns)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 7;
	st->st_ino = 42;
	st->st_size = 100;
	st->st_mode = S_IFREG | 0644;
	st->st_mtim.tv_sec = mtime_ns / SEC;
	st->st_mtim.tv_nsec = mtime_ns % SEC;
	st->st_ctim.tv_sec = ctime_ns / SEC;
	st->st_ctim.tv_nsec = ctime_ns % SEC;
}

static void mkid(struct oid *id, const char *s)
{
	hash_buf(id, s, strlen(s));
}

static void test_state__racy(void)
{
	struct stat st;
	long long t = 1700000000LL * SEC + 123456789;

	mkstat(&st, t, t);
	ok(state_racy(&st, t), "changed at the moment it was looked at: racy");
	ok(state_racy(&st, t + 10000000), "10 ms later: still racy");
	ok(!state_racy(&st, t + 50000000), "50 ms later: trusted");
	mkstat(&st, t - SEC, t);
	ok(state_racy(&st, t + 10000000), "a recent ctime alone makes it racy");
	mkstat(&st, 1700000000LL * SEC, 1700000000LL * SEC);
	ok(state_racy(&st, 1700000000LL * SEC + SEC), "whole-second stamps: racy for 2 s");
	ok(!state_racy(&st, 1700000000LL * SEC + 3 * SEC), "whole-second stamps: trusted after");
}

static void test_state__record_lookup(void)
{
	struct state *s;
	struct stat st, other;
	struct oid id, got;
	long long t = 1700000000LL * SEC + 5;

	mkid(&id, "content");
	mkstat(&st, t, t);
	s = state_open(path);
	state_record(s, "data/a", &st, &id, t + SEC);
	state_record(s, "data/racy", &st, &id, t + 1000);
	state_close(s);

	s = state_open(path);
	ok(state_lookup(s, "data/a", &st, &got) && oid_equal(&got, &id), "a recorded entry is found");
	ok(!state_lookup(s, "data/racy", &st, &got), "a racy entry is not trusted");
	ok(!state_lookup(s, "data/none", &st, &got), "an unknown path is not found");
	other = st;
	other.st_dev = 8;
	ok(!state_lookup(s, "data/a", &other, &got), "another device invalidates");
	other = st;
	other.st_ino = 43;
	ok(!state_lookup(s, "data/a", &other, &got), "another inode invalidates (rsync -a)");
	other = st;
	other.st_size = 101;
	ok(!state_lookup(s, "data/a", &other, &got), "another size invalidates");
	other = st;
	other.st_mtim.tv_nsec++;
	ok(!state_lookup(s, "data/a", &other, &got), "another mtime invalidates");
	other = st;
	other.st_ctim.tv_sec++;
	ok(!state_lookup(s, "data/a", &other, &got), "another ctime invalidates (C13: same mtime)");
	state_close(s);

	s = state_open(path);
	state_record(s, "other/b", &st, &id, t + SEC);
	state_close(s);
	s = state_open(path);
	state_preload(s, "data/");
	ok(state_lookup(s, "data/a", &st, &got) && oid_equal(&got, &id), "preloaded lookups agree");
	ok(!state_lookup(s, "data/racy", &st, &got), "preloaded: racy is still racy");
	ok(!state_lookup(s, "data/none", &st, &got), "preloaded: an unknown path is not found");
	ok(state_lookup(s, "other/b", &st, &got), "outside the preloaded prefix the database answers");
	state_preload(s, "data/sub/");
	ok(state_lookup(s, "data/a", &st, &got), "a narrower preload changes nothing");
	state_close(s);

	s = state_open(path);
	state_preload(s, "");
	ok(state_lookup(s, "other/b", &st, &got) && state_lookup(s, "data/a", &st, &got),
	   "preloading everything");
	state_close(s);
}

static void test_state__dirs(void)
{
	struct state *s;
	struct state_dir d, got;
	struct oid fp2;

	memset(&d, 0, sizeof(d));
	mkid(&d.fp, "fingerprint");
	mkid(&d.id, "manifest");
	d.size = 12345;
	d.nfiles = 7;
	mkid(&fp2, "other fingerprint");
	s = state_open(path);
	state_dir_record(s, "data", &d);
	state_dir_record(s, "data/sub", &d);
	state_close(s);

	s = state_open(path);
	ok(state_dir_lookup(s, "data", &d.fp, &got) && oid_equal(&got.id, &d.id) &&
		   got.size == 12345 && got.nfiles == 7,
	   "a folder row is found with its fingerprint");
	ok(!state_dir_lookup(s, "data", &fp2, &got), "another fingerprint misses");
	state_close(s);
	s = state_open(path);
	state_preload_dirs(s, "data");
	ok(state_dir_lookup(s, "data/sub", &d.fp, &got), "preloaded folder rows are found");
	ok(!state_dir_lookup(s, "data/sub", &fp2, &got), "preloaded: another fingerprint misses");
	state_close(s);
}

static void test_state__forget_move(void)
{
	struct state *s;
	struct stat st;
	struct oid id, got;
	struct state_dir d;
	long long t = 1700000000LL * SEC;

	mkid(&id, "x");
	mkstat(&st, t, t); /* whole seconds: trusted 2 s after */
	memset(&d, 0, sizeof(d));
	mkid(&d.fp, "fp");
	s = state_open(path);
	state_record(s, "m/a", &st, &id, t + 3 * SEC);
	state_record(s, "m/sub/b", &st, &id, t + 3 * SEC);
	state_record(s, "mm/c", &st, &id, t + 3 * SEC);
	state_record(s, "n/old", &st, &id, t + 3 * SEC);
	state_dir_record(s, "m/sub", &d);
	state_close(s);

	s = state_open(path);
	state_move(s, "m", "n");
	state_forget(s, "mm");
	state_close(s);
	s = state_open(path);
	ok(!state_lookup(s, "m/a", &st, &got), "moved rows left the old place");
	ok(state_lookup(s, "n/a", &st, &got) && state_lookup(s, "n/sub/b", &st, &got),
	   "moved rows are at the new place");
	ok(state_dir_lookup(s, "n/sub", &d.fp, &d), "folder rows move too");
	ok(state_lookup(s, "n/old", &st, &got), "rows already under the destination stay");
	ok(!state_lookup(s, "mm/c", &st, &got), "forgotten rows are gone");
	state_forget(s, "n/sub");
	state_close(s);
	s = state_open(path);
	ok(!state_lookup(s, "n/sub/b", &st, &got) && state_lookup(s, "n/a", &st, &got),
	   "forget takes the subtree only");
	state_close(s);
}

static void test_state__damaged(void)
{
	struct state *s;
	struct stat st;
	struct oid id, got;
	char wal[4200];
	int fd;

	mkid(&id, "y");
	mkstat(&st, 1, 1);
	fd = open(path, O_WRONLY | O_TRUNC);
	ok(fd >= 0 && write(fd, "this is not a database, not at all; really not", 46) == 46,
	   "the file is overwritten with garbage");
	if (fd >= 0)
		close(fd);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	s = state_open(path);
	ok(!state_lookup(s, "n/a", &st, &got), "a damaged file starts over, empty");
	state_record(s, "z", &st, &id, 10 * SEC);
	state_close(s);
	s = state_open(path);
	ok(state_lookup(s, "z", &st, &got), "and works again");
	state_close(s);

	s = state_open("/nonexistent-dir/for/sure/state");
	ok(!state_lookup(s, "z", &st, &got), "an unusable place: nothing is cached, nothing fails");
	state_record(s, "z", &st, &id, 10 * SEC);
	state_close(s);
	state_close(NULL);
	ok(1, "closing NULL is fine");
}

static void test_state__foreign_schema(void)
{
	struct state *s;
	struct stat st;
	struct oid got;
	char cmd[4300];

	unlink(path);
	snprintf(cmd, sizeof(cmd),
		 "sqlite3 '%s' 'create table state(path text primary key, x); pragma user_version=1;'"
		 " 2>/dev/null",
		 path);
	if (system(cmd) != 0) {
		ok(1, "# SKIP sqlite3 is not installed");
		return;
	}
	mkstat(&st, 1, 1);
	s = state_open(path);
	ok(!state_lookup(s, "anything", &st, &got), "another layout is dropped, not misread");
	state_close(s);
}

int main(void)
{
	dir = tap_tmpdir();
	snprintf(path, sizeof(path), "%s/state", dir);
	TAP_RUN(test_state__racy);
	TAP_RUN(test_state__record_lookup);
	TAP_RUN(test_state__dirs);
	TAP_RUN(test_state__forget_move);
	TAP_RUN(test_state__damaged);
	TAP_RUN(test_state__foreign_schema);
	tap_rmtree(dir);
	return tap_done();
}
