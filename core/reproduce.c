/*
 * reproduce.c: a revision's pipeline run again in a worktree and compared
 * with its cairn.lock, output by output.
 */
#include "buildconf.h"

#include "core/reproduce.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/lockfile.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/runner.h"
#include "core/wtree.h"
#include "core/xmalloc.h"

const char *reproduce_state_name(enum reproduce_state s)
{
	return s == REPRODUCE_IDENTICAL ? "identical" : s == REPRODUCE_DIFFERS ? "differs" : "missing";
}

void reproduce_report_release(struct reproduce_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].stage);
		free(rep->v[i].path);
	}
	free(rep->v);
	free(rep->failure);
	free(rep->worktree);
	memset(rep, 0, sizeof(*rep));
}

/* Run "self -C wt ARGS..." to its end; *ok true when it exited 0. */
static const struct cairn_error *reproduce_cairn(bool *ok, const struct reproduce_opts *o,
						 const char *wt, const char *a1, const char *a2,
						 const char *a3)
{
	const struct cairn_error *e;
	char *argv[] = { (char *)o->self, (char *)"-C", (char *)wt, (char *)a1, (char *)a2,
			 (char *)a3, NULL };
	struct runner_opts ro = { NULL, o->out_fd, NULL };
	size_t which;
	int status;
	pid_t pid;

	*ok = false;
	if ((e = runner_start(&pid, argv, &ro)) != NULL)
		return e;
	if ((e = runner_wait_any(&which, &status, &pid, 1, o->cancel, o->cancel_arg)) != NULL)
		return e;
	*ok = runner_status_ok(status);
	return NULL;
}

static void reproduce_compare(struct reproduce_report *rep, const struct lockfile *want,
			      const struct lockfile *got)
{
	size_t i, j, k, cap = 0;

	for (i = 0; i < want->n; i++) {
		const struct lockfile_stage *ws = &want->v[i];
		const struct lockfile_stage *gs = lockfile_find(got, ws->name);

		for (j = 0; j < ws->nouts + ws->nmetrics; j++) {
			const struct lockfile_entry *we = j < ws->nouts ? &ws->outs[j]
								      : &ws->metrics[j - ws->nouts];
			const struct lockfile_entry *ge = NULL;
			struct reproduce_item *it;

			for (k = 0; gs && k < gs->nouts + gs->nmetrics && ge == NULL; k++) {
				const struct lockfile_entry *c = k < gs->nouts ? &gs->outs[k]
									     : &gs->metrics[k - gs->nouts];

				if (strcmp(c->path, we->path) == 0)
					ge = c;
			}
			XGROW(rep->v, rep->n + 1, cap);
			it = &rep->v[rep->n++];
			memset(it, 0, sizeof(*it));
			it->stage = xstrdup(ws->name);
			it->path = xstrdup(we->path);
			it->want = we->id;
			if (ge == NULL) {
				it->state = REPRODUCE_MISSING;
			} else {
				it->got = ge->id;
				it->state = oid_equal(&we->id, &ge->id) ? REPRODUCE_IDENTICAL
									: REPRODUCE_DIFFERS;
			}
		}
	}
}

const struct cairn_error *reproduce_run(struct reproduce_report *rep, struct repo *r,
					const char *rev, const struct reproduce_opts *o)
{
	const struct cairn_error *e;
	struct lockfile want, got;
	struct buf text = BUF_INIT;
	char *wt = NULL, *lock = NULL, *remote = NULL;
	bool ok;

	memset(rep, 0, sizeof(*rep));
	memset(&got, 0, sizeof(got));
	buf_init(&text);
	if ((e = rev_resolve(rep->commit, r, rev ? rev : "HEAD")) != NULL)
		return e;
	if ((e = lockfile_load_rev(&want, r, rep->commit)) != NULL)
		return e;
	if (want.n == 0) {
		lockfile_release(&want);
		return err_new(CAIRN_ERR_NOT_FOUND, "no recorded run in %s at '%s'", LOCKFILE_NAME,
			       rev ? rev : "HEAD");
	}
	if ((e = wtree_add(&wt, r, rep->commit, "reproduce")) != NULL)
		goto done;
	/*
	 * The tracked data: pulled when a default remote is configured (objects
	 * the cache lacks are fetched), else checked out from the cache. An
	 * object missing here stops the stage that needs it.
	 */
	if ((e = config_get_str(&remote, r->cfg, "core.remote")) != NULL)
		goto done;
	if ((e = reproduce_cairn(&ok, o, wt, "-q", remote ? "pull" : "checkout", NULL)) != NULL)
		goto done;
	if ((e = reproduce_cairn(&ok, o, wt, "repro", "--force", "--no-run-cache")) != NULL)
		goto done;
	rep->ran = ok;
	if (!ok) {
		/* no verdict: the stages that did not run would look identical */
		rep->failure = xstrdup("the pipeline did not run to its end");
		goto done;
	}
	lock = fs_join(wt, LOCKFILE_NAME);
	if ((e = fs_read_file(&text, lock, LOCKFILE_MAX_BYTES)) == NULL)
		e = lockfile_parse(&got, text.s, text.len, LOCKFILE_NAME);
	if (e)
		goto done;
	reproduce_compare(rep, &want, &got);
done:
	if (wt && o->keep && (e == NULL || err_is(e, CAIRN_ERR_FAILED))) {
		rep->worktree = wt;
		wt = NULL;
	} else if (wt) {
		(void)wtree_remove(r, wt);
	}
	free(wt);
	free(lock);
	free(remote);
	buf_release(&text);
	lockfile_release(&want);
	lockfile_release(&got);
	return e;
}
