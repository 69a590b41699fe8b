/*
 * tests/unit/tempfile.c: the cleanup of registered temp paths and of the
 * prefixed entries of registered folders, leaving every other file alone;
 * forgetting; the limits of folder registration.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/tempfile.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

static void touch(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	if (f == NULL)
		bail("create %s", p);
	fputs("x", f);
	fclose(f);
	free(p);
}

static bool exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool ok = stat(p, &st) == 0;

	free(p);
	return ok;
}

static void test_tempfile__cleanup(void)
{
	char *dir = tap_tmpdir(), *sub = xasprintf("%s/w0", dir), *one = xasprintf("%s/one", dir);
	char *kept = xasprintf("%s/kept", dir), *big = xmalloc(5000);
	int i, slot;

	if (mkdir(sub, 0777) != 0)
		bail("mkdir");
	for (i = 0; i < 300; i++) { /* more than the path table holds */
		char name[32];

		snprintf(name, sizeof(name), "obj-77-%d", i);
		touch(sub, name);
	}
	touch(sub, "obj-78-1");
	touch(sub, "obj-77");
	touch(dir, "one");
	touch(dir, "kept");
	slot = tempfile_register_dir(sub, "obj-77-");
	ok(slot >= 0, "a folder is registered");
	is_int(tempfile_register_dir(sub, "obj-77-"), slot, "twice is once");
	is_int(tempfile_register_dir(sub, ""), -1, "an empty prefix is refused");
	memset(big, 'a', 4999);
	big[4999] = '\0';
	is_int(tempfile_register_dir(big, "p"), -1, "so is a path too long");
	ok(tempfile_register(one) >= 0, "a file is registered");
	tempfile_forget(tempfile_register(kept));
	tempfile_cleanup_all();
	ok(!exists(sub, "obj-77-0") && !exists(sub, "obj-77-299"), "every prefixed entry went");
	ok(exists(sub, "obj-78-1") && exists(sub, "obj-77"), "another process's files stay");
	ok(!exists(dir, "one"), "the registered file went");
	ok(exists(dir, "kept"), "a forgotten one stays");
	ok(tempfile_is_dying(), "the cleanup has begun");
	touch(dir, "late");
	{
		char *late = xasprintf("%s/late", dir);

		is_int(tempfile_register(late), -1, "a file registered after it is not kept...");
		ok(!exists(dir, "late"), "...it is removed at once");
		free(late);
	}
	free(big);
	free(kept);
	free(one);
	free(sub);
	tap_rmtree(dir);
}

int main(void)
{
	TAP_RUN(test_tempfile__cleanup);
	return tap_done();
}
