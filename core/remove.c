/*
 * remove.c: untracking. The data is deleted first (while the pointer still
 * describes it, so an interruption leaves something checkout can restore),
 * then the pointer, then the .gitignore entry.
 */
#include "buildconf.h"

#include "core/remove.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "core/ignore.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/state.h"
#include "core/status.h"
#include "core/tree.h"
#include "core/work.h"

static const struct cairn_error *remove_file_cached(const char *path, struct tree_entry *te,
						    void *arg)
{
	const struct cache *c = arg;

	if (!cache_has(c, &te->id))
		return err_new(CAIRN_ERR_NOT_FOUND, "'%s' is not in the cache", path);
	return NULL;
}

/* Is every object of o's recorded tree in the cache? */
static bool remove_complete(struct work *w, const struct out *o)
{
	const struct cairn_error *e;
	struct tree *t = NULL;

	if (o->ptr->type == PTR_FILE)
		return cache_has(w->cache, &o->ptr->id);
	if ((e = tree_load(&t, w->cache, &o->ptr->id)) != NULL)
		return false;
	e = tree_walk_files(t, remove_file_cached, w->cache);
	tree_free(t);
	return e == NULL;
}

const struct cairn_error *remove_check(struct work *w, const struct out *o,
				       const struct remove_opts *opts)
{
	const struct cairn_error *e;
	struct status_result st;
	bool safe;

	if (!opts->outs || opts->force)
		return NULL;
	if ((e = status_out(&st, w, o)) != NULL)
		return e;
	safe = st.kind == STATUS_MISSING || (st.kind == STATUS_CLEAN && remove_complete(w, o));
	status_result_release(&st);
	if (safe)
		return NULL;
	return err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				"'%s' holds data that is not in the cache; not removing it", o->rel),
			"record it with 'cairn commit' first, or use --force to delete it anyway");
}

const struct cairn_error *remove_out(bool *data_removed, struct work *w, const struct out *o,
				     const struct remove_opts *opts)
{
	const struct cairn_error *e;
	struct stat st;
	int dfd;

	*data_removed = false;
	if ((e = fs_open_dir_beneath(&dfd, w->repo->rootfd, o->dir, false)) != NULL)
		return e;
	if (opts->outs && fstatat(dfd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if ((e = fs_remove_tree_at(dfd, o->name)) != NULL) {
			close(dfd);
			return err_wrap(e, "remove '%s'", o->rel);
		}
		*data_removed = true;
	}
	if (unlinkat(dfd, fs_basename(o->ptr_rel), 0) < 0 && errno != ENOENT) {
		e = err_errno("remove '%s'", o->ptr_rel);
		close(dfd);
		return e;
	}
	close(dfd);
	state_forget(w->state, o->rel);
	return ignore_remove(w->repo->rootfd, o->dir, o->name);
}
