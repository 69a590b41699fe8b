/*
 * gcremote.c: the remote sweep. The whole listing is taken first and the
 * garbage sorted, so what is reported and deleted does not depend on the
 * order a backend lists in, and a failed listing deletes nothing. Objects
 * younger than the cutoff stay, as in the cache's gc (core/gc.c).
 */
#include "buildconf.h"

#include "remotes/gcremote.h"

#include <stdlib.h>
#include <string.h>

#include "core/gcroots.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"

struct gcremote_list {
	const struct gcroots *g;
	struct remote_item *items;
	size_t n, cap;
	int64_t cutoff;
	uint64_t listed, kept, young;
};

static const struct cairn_error *gcremote_on_id(const struct oid *id, int64_t mtime_ns,
						void *arg)
{
	struct gcremote_list *l = arg;

	l->listed++;
	if (gcroots_has(l->g, id)) {
		l->kept++;
		return NULL;
	}
	if (mtime_ns == REMOTE_MTIME_UNKNOWN || mtime_ns >= l->cutoff) {
		l->young++;
		return NULL;
	}
	XGROW(l->items, l->n + 1, l->cap);
	memset(&l->items[l->n], 0, sizeof(l->items[l->n]));
	l->items[l->n].id = *id;
	l->items[l->n].size = REMOTE_SIZE_UNKNOWN;
	l->n++;
	return NULL;
}

static int gcremote_cmp(const void *a, const void *b)
{
	return memcmp(((const struct remote_item *)a)->id.b, ((const struct remote_item *)b)->id.b,
		      sizeof(((const struct remote_item *)a)->id.b));
}

const struct cairn_error *gcremote_sweep(struct gcremote_result *res, struct remote *rem,
					 const struct gcroots *g, int64_t cutoff_ns, bool remove,
					 const struct remote_batch *b, gcremote_cb cb, void *arg)
{
	const struct cairn_error *e;
	struct gcremote_list l;
	size_t i;

	memset(res, 0, sizeof(*res));
	memset(&l, 0, sizeof(l));
	l.g = g;
	l.cutoff = cutoff_ns;
	if (remove && rem->ops->read_only)
		return err_new(CAIRN_ERR_REMOTE, "the remote '%s' is read-only", rem->name);
	if ((e = rem->ops->list(rem, gcremote_on_id, &l, b)) != NULL) {
		free(l.items);
		return err_wrap(e, "list '%s'", rem->name);
	}
	if (l.n > 1)
		qsort(l.items, l.n, sizeof(*l.items), gcremote_cmp);
	res->listed = l.listed;
	res->kept = l.kept;
	res->young = l.young;
	if (remove && l.n)
		e = rem->ops->del(rem, l.items, l.n, b);
	for (i = 0; i < l.n; i++) {
		bool gone = remove && l.items[i].state == REMOTE_DONE;

		if (!remove || gone) {
			res->removed++;
			if (cb)
				cb(&l.items[i].id, gone, arg);
		}
	}
	free(l.items);
	return e ? err_wrap(e, "delete from '%s'", rem->name) : NULL;
}
