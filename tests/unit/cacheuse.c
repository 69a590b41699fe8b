/*
 * tests/unit/cacheuse.c: the project registry of a cache: registering is
 * idempotent and atomic, listing is sorted and skips temp files, forgetting
 * removes one project, and a registration that is not an absolute path is
 * an error, not trusted.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cacheuse.h"
#include "core/fsutil.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

static const struct cairn_error *collect(const char *root, const char *file, void *arg)
{
	(void)file;
	buf_addf(arg, "%s;", root);
	return NULL;
}

static const struct cairn_error *stop(const char *root, const char *file, void *arg)
{
	(void)root;
	(void)file;
	(void)arg;
	return err_new(CAIRN_ERR_FAILED, "stop");
}

int main(void)
{
	char *dir = tap_tmpdir(), *cache = xasprintf("%s/cache", dir), *p;
	struct buf b = BUF_INIT;

	buf_init(&b);
	ok_noerr(cacheuse_list(cache, collect, &b), "a cache nobody registered in");
	is_str(b.s, "", "lists nothing");
	ok_noerr(cacheuse_register(cache, "/srv/b"), "register b");
	ok_noerr(cacheuse_register(cache, "/srv/a project"), "register a (with a space)");
	ok_noerr(cacheuse_register(cache, "/srv/b"), "register b again");
	p = xasprintf("%s/projects/.cairn-tmp-1", cache);
	if (fs_atomic_write(p, "x", 1, 0644) != NULL)
		bail("write");
	free(p);
	ok_noerr(cacheuse_list(cache, collect, &b), "list");
	ok(strcmp(b.s, "/srv/a project;/srv/b;") == 0 || strcmp(b.s, "/srv/b;/srv/a project;") == 0,
	   "both once, temp files skipped: %s", b.s);
	is_err(cacheuse_list(cache, stop, NULL), CAIRN_ERR_FAILED, "a callback error stops the list");
	ok_noerr(cacheuse_forget(cache, "/srv/b"), "forget b");
	ok_noerr(cacheuse_forget(cache, "/srv/b"), "forget b again");
	buf_reset(&b);
	ok_noerr(cacheuse_list(cache, collect, &b), "list");
	is_str(b.s, "/srv/a project;", "only a");
	p = xasprintf("%s/projects/%064d", cache, 7);
	if (fs_atomic_write(p, "relative\n", 9, 0644) != NULL)
		bail("write");
	is_err(cacheuse_list(cache, collect, &b), CAIRN_ERR_FORMAT, "a relative path is refused");
	if (fs_atomic_write(p, "/x\n/y\n", 6, 0644) != NULL)
		bail("write");
	is_err(cacheuse_list(cache, collect, &b), CAIRN_ERR_FORMAT, "two lines are refused");
	free(p);
	buf_release(&b);
	free(cache);
	tap_rmtree(dir);
	return tap_done();
}
