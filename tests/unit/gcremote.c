/*
 * tests/unit/gcremote.c: gc on a remote against a stub backend: only
 * objects the root set does not keep are reported, in id order; nothing is
 * deleted without remove; a failed listing deletes nothing; a failed
 * delete is an error and reports only what went; a read-only remote
 * refuses to delete.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/gcroots.h"
#include "core/hash.h"
#include "core/xmalloc.h"
#include "remotes/gcremote.h"
#include "remotes/remote.h"
#include "tests/unit/tap.h"

static struct oid ids[4];
static int deleted, list_fails, del_fails;
/* the age each stub object reports: ids[i] was written mtimes[i] */
static int64_t mtimes[4] = { 100, 100, 100, 100 };

static const struct cairn_error *stub_list(struct remote *r, remote_list_cb cb, void *arg,
					   const struct remote_batch *b)
{
	const struct cairn_error *e;
	int i;

	(void)r;
	(void)b;
	for (i = 3; i >= 0; i--) {
		if (list_fails && i == 1)
			return err_new(CAIRN_ERR_REMOTE, "listing broke");
		if ((e = cb(&ids[i], mtimes[i], arg)) != NULL)
			return e;
	}
	return NULL;
}

static const struct cairn_error *stub_del(struct remote *r, struct remote_item *items, size_t n,
					  const struct remote_batch *b)
{
	size_t i;

	(void)r;
	(void)b;
	for (i = 0; i < n; i++) {
		if (del_fails && i == 1)
			return err_new(CAIRN_ERR_REMOTE, "delete broke");
		items[i].state = REMOTE_DONE;
		deleted++;
	}
	return NULL;
}

static struct remote_ops stub_ops = { .kind = "stub", .list = stub_list, .del = stub_del };

static void on_item(const struct oid *id, bool removed, void *arg)
{
	buf_addf(arg, "%.4s%s;", oid_hex(id), removed ? "!" : "");
}

int main(void)
{
	char *dir = tap_tmpdir(), *cdir = xasprintf("%s/c", dir);
	struct remote rem = { &stub_ops, (char *)"stub", (char *)"stub://", 1 };
	struct gcremote_result res;
	struct remote_batch b = { 0 };
	struct cache *c;
	struct gcroots *g;
	struct buf out = BUF_INIT;
	char want[64];
	int i;

	if (cache_open(&c, cdir) != NULL)
		bail("cache");
	for (i = 0; i < 4; i++)
		hash_buf(&ids[i], &i, sizeof(i));
	g = gcroots_new(c);
	gcroots_add_object(g, &ids[0]);
	gcroots_add_object(g, &ids[2]);
	buf_init(&out);
	ok_noerr(gcremote_sweep(&res, &rem, g, 1000, false, &b, on_item, &out), "list only");
	is_int(res.listed, 4, "four listed");
	is_int(res.kept, 2, "two kept");
	is_int(res.removed, 2, "two to remove");
	is_int(deleted, 0, "nothing deleted");
	if (memcmp(ids[1].b, ids[3].b, sizeof(ids[1].b)) < 0)
		snprintf(want, sizeof(want), "%.4s;%.4s;", oid_hex(&ids[1]), oid_hex(&ids[3]));
	else
		snprintf(want, sizeof(want), "%.4s;%.4s;", oid_hex(&ids[3]), oid_hex(&ids[1]));
	is_str(out.s, want, "the garbage in id order");
	buf_reset(&out);
	ok_noerr(gcremote_sweep(&res, &rem, g, 1000, true, &b, on_item, &out), "remove");
	is_int(deleted, 2, "both deleted");
	ok(strchr(out.s, '!') != NULL, "reported as removed: %s", out.s);
	deleted = 0;
	list_fails = 1;
	is_err(gcremote_sweep(&res, &rem, g, 1000, true, &b, NULL, NULL), CAIRN_ERR_REMOTE,
	       "a failed listing is an error");
	is_int(deleted, 0, "and deletes nothing");
	list_fails = 0;
	del_fails = 1;
	buf_reset(&out);
	is_err(gcremote_sweep(&res, &rem, g, 1000, true, &b, on_item, &out), CAIRN_ERR_REMOTE,
	       "a failed delete is an error");
	is_int(res.removed, 1, "only what went is counted");
	del_fails = 0;
	stub_ops.read_only = true;
	is_err(gcremote_sweep(&res, &rem, g, 1000, true, &b, NULL, NULL), CAIRN_ERR_REMOTE,
	       "a read-only remote refuses to delete");
	ok_noerr(gcremote_sweep(&res, &rem, g, 1000, false, &b, NULL, NULL), "but lists");
	stub_ops.read_only = false;
	/* the grace: what was written at or after the cutoff, or at an unknown time, stays */
	mtimes[1] = 1000;
	mtimes[3] = REMOTE_MTIME_UNKNOWN;
	deleted = 0;
	buf_reset(&out);
	ok_noerr(gcremote_sweep(&res, &rem, g, 1000, true, &b, on_item, &out), "sweep with young objects");
	is_int(res.young, 2, "two young objects kept");
	is_int(res.removed, 0, "none removed");
	is_int(deleted, 0, "nothing deleted");
	mtimes[1] = 999;
	ok_noerr(gcremote_sweep(&res, &rem, g, 1000, true, &b, on_item, &out), "one turned old");
	is_int(res.young, 1, "one young object kept");
	is_int(deleted, 1, "the old one deleted");
	buf_release(&out);
	gcroots_free(g);
	cache_close(c);
	free(cdir);
	tap_rmtree(dir);
	return tap_done();
}
