/*
 * work.c: opening the cache, state database and settings a workspace
 * command needs.
 */
#include "buildconf.h"

#include "core/work.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/repo.h"
#include "core/state.h"
#include "core/xmalloc.h"

const struct cairn_error *work_open(struct work *w, struct repo *r)
{
	const struct cairn_error *e;
	char *spec = NULL, *path;
	int64_t jobs;
	bool verify;

	memset(w, 0, sizeof(*w));
	w->tmpfd = -1;
	w->repo = r;
	if ((e = repo_require_init(r)) != NULL)
		return e;
	if ((e = fs_mkdirs(r->tmp_dir, 0777)) != NULL)
		return e;
	w->tmpfd = open(r->tmp_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->tmpfd < 0)
		return err_errno("open '%s'", r->tmp_dir);
	if ((e = repo_cache(&w->cache, r)) != NULL)
		goto fail;
	path = fs_join(r->tmp_dir, "quarantine");
	cache_set_quarantine(w->cache, path);
	free(path);
	if ((e = config_get_str(&spec, r->cfg, "cache.type")) != NULL)
		goto fail;
	e = link_parse(&w->types, spec ? spec : LINK_DEFAULT);
	free(spec);
	if (e)
		goto fail;
	if ((e = config_get_int(&jobs, r->cfg, "core.jobs", 0)) != NULL)
		goto fail;
	if ((e = config_get_bool(&verify, r->cfg, "cache.verify", false)) != NULL)
		goto fail;
	path = fs_join(r->tmp_dir, "state");
	w->state = state_open(path);
	free(path);
	w->digest.rootfd = r->rootfd;
	w->digest.state = w->state;
	w->digest.jobs = (int)jobs;
	w->link.cache = w->cache;
	w->link.types = &w->types;
	w->link.tmpfd = w->tmpfd;
	w->link.verify = verify;
	return NULL;
fail:
	work_close(w);
	return e;
}

void work_close(struct work *w)
{
	state_close(w->state);
	w->state = NULL;
	if (w->tmpfd >= 0)
		close(w->tmpfd);
	w->tmpfd = -1;
}
