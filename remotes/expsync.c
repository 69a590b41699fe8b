/*
 * expsync.c: exp push and pull. Data moves first on push (a ref never
 * names data the cairn remote lacks); on pull the refs come first, then the
 * data their commits record.
 */
#include "buildconf.h"

#include "remotes/expsync.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "core/buf.h"
#include "core/cache.h"
#include "core/exp.h"
#include "core/gitutil.h"
#include "core/lockfile.h"
#include "core/out.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/stageout.h"
#include "core/xmalloc.h"
#include "remotes/remote.h"

void expsync_result_release(struct expsync_result *res)
{
	xfer_result_release(&res->xfer);
	memset(res, 0, sizeof(*res));
}

/* The data of commits[0..n) through the default cairn remote; data false when there is none. */
static const struct cairn_error *expsync_data(struct expsync_result *res, struct repo *r,
					      char (*commits)[41], size_t n, bool push,
					      const struct xfer_opts *opts)
{
	const struct cairn_error *e = NULL;
	struct out_list outs = OUT_LIST_INIT;
	struct remote *rem = NULL;
	struct cache *cache;
	size_t i;

	e = remote_open(&rem, r->cfg, NULL, r->root);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		return NULL; /* no default cairn remote: refs only */
	if (e)
		return e;
	for (i = 0; i < n && e == NULL; i++)
		e = stageout_rev_collect(&outs, r, commits[i]);
	if (e == NULL)
		e = repo_cache(&cache, r);
	if (e == NULL) {
		res->data = true;
		e = push ? xfer_push(&res->xfer, rem, cache, &outs, opts)
			 : xfer_fetch(&res->xfer, rem, cache, &outs, opts);
	}
	if (e == NULL && res->xfer.nmissing)
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND,
				     "%zu object%s of the experiments %s in neither the cache nor the "
				     "remote (first: '%s')",
				     res->xfer.nmissing, res->xfer.nmissing == 1 ? " is" : "s are",
				     push ? "are" : "were", res->xfer.missing[0].path),
			     "run the experiments again, or push them from where they ran");
	out_list_release(&outs);
	remote_close(rem);
	return e;
}

static int expsync_cred(git_credential **out, const char *url, const char *user,
			unsigned int allowed, void *payload)
{
	(void)url;
	(void)payload;
	if (allowed & GIT_CREDENTIAL_SSH_KEY)
		return git_credential_ssh_key_from_agent(out, user ? user : "git");
	return GIT_PASSTHROUGH;
}

/*
 * A configured Git remote's URL (read with the config API), else gitremote
 * itself as a URL, as an anonymous remote without url.<base>.insteadOf
 * rewriting: libgit2 1.5.1's lookup of those settings leaks PCRE2 match
 * data on every call (git_remote_lookup and git_remote_create_anonymous).
 */
static const struct cairn_error *expsync_remote(git_remote **out, struct repo *r,
						const char *gitremote)
{
	git_remote_create_options opts;
	git_config *cfg = NULL, *snap = NULL;
	const char *url = gitremote;
	char *key = xasprintf("remote.%s.url", gitremote);
	int rc = 0;

	if (git_repository_config(&cfg, r->git) == 0 && git_config_snapshot(&snap, cfg) == 0 &&
	    git_config_get_string(&url, snap, key) < 0)
		url = gitremote;
	git_remote_create_options_init(&opts, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	opts.repository = r->git;
	opts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (*url == '\0' || git_remote_create_with_opts(out, url, &opts) < 0)
		rc = -1;
	git_config_free(snap);
	git_config_free(cfg);
	free(key);
	if (rc < 0)
		return err_git("git remote '%s'", gitremote);
	return NULL;
}

/*
 * May ref move from have to want? Yes when it is new, the same, or a fast
 * forward (want descends from have, both known here); else it diverged.
 */
static bool expsync_may_move(struct repo *r, const git_oid *have, const git_oid *want)
{
	if (have == NULL || git_oid_equal(have, want))
		return true;
	return git_graph_descendant_of(r->git, want, have) == 1;
}

/* Add "'name'" to a list of experiment names for a message. */
static void expsync_list_add(struct buf *b, size_t *n, const char *ref)
{
	const char *slash = strchr(ref + strlen(EXP_REF_PREFIX), '/');

	buf_addf(b, "%s'%s'", (*n)++ ? ", " : "", slash ? slash + 1 : ref);
}

static const struct cairn_error *expsync_diverged(const struct buf *names, size_t n,
						  const char *where, bool push)
{
	const char *pl = n == 1 ? "" : "s", *verb = n == 1 ? "differs" : "differ";

	if (push)
		return err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
					"experiment%s %s on '%s' %s from the local one%s", pl,
					names->s, where, verb, pl),
				"pull and compare first, or use --force to replace %s",
				n == 1 ? "it" : "them");
	return err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				"local experiment%s %s %s from the one%s on '%s'", pl, names->s, verb,
				pl, where),
			"remove the local one%s first, or use --force to replace %s", pl,
			n == 1 ? "it" : "them");
}

/* A push the remote refused (a race with another push). */
static int expsync_push_status(const char *ref, const char *status, void *payload)
{
	char **first = payload;

	if (status && *first == NULL)
		*first = xasprintf("%s: %s", ref, status);
	return 0;
}

const struct cairn_error *expsync_push(struct expsync_result *res, struct repo *r,
				       const char *gitremote, char **names, size_t n, bool force,
				       const struct xfer_opts *opts)
{
	const struct cairn_error *e;
	struct exp_info *v = NULL;
	size_t nv = 0, i, k, nsel = 0;
	char (*commits)[41] = NULL;
	char **specs = NULL, *refused = NULL;
	git_remote *rem = NULL;
	git_remote_callbacks cb;
	git_push_options po;
	git_strarray arr;

	memset(res, 0, sizeof(*res));
	if ((e = exp_list(&v, &nv, r, true)) != NULL)
		return e;
	commits = xcalloc(nv ? nv : 1, sizeof(*commits));
	specs = xcalloc(nv ? nv : 1, sizeof(char *));
	for (k = 0; k < n && e == NULL; k++) {
		for (i = 0; i < nv; i++)
			if (!v[i].failed && strcmp(v[i].name, names[k]) == 0)
				break;
		if (i == nv)
			e = err_new(CAIRN_ERR_NOT_FOUND, "no experiment '%s'", names[k]);
	}
	for (i = 0; i < nv && e == NULL; i++) {
		bool want = n == 0;

		for (k = 0; k < n; k++)
			want |= strcmp(v[i].name, names[k]) == 0;
		if (!want || v[i].failed)
			continue;
		memcpy(commits[nsel], v[i].commit, 41);
		specs[nsel++] = xasprintf("%s%s:%s", force ? "+" : "", v[i].ref, v[i].ref);
	}
	if (e == NULL && nsel == 0)
		e = err_new(CAIRN_ERR_NOT_FOUND, "no experiments to push");
	if (e == NULL)
		e = expsync_remote(&rem, r, gitremote);
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb.credentials = expsync_cred;
	/* experiments that differ on the remote are refused before any data moves */
	if (e == NULL && !force) {
		const git_remote_head **heads;
		struct buf bad = BUF_INIT;
		size_t nheads = 0, nbad = 0, h;

		buf_init(&bad);
		if (git_remote_connect(rem, GIT_DIRECTION_PUSH, &cb, NULL, NULL) < 0 ||
		    git_remote_ls(&heads, &nheads, rem) < 0)
			e = err_git("push experiments to '%s'", gitremote);
		for (k = 0; e == NULL && k < nsel; k++) {
			const char *ref = strchr(specs[k], ':') + 1;
			git_oid want;

			git_oid_fromstr(&want, commits[k]);
			for (h = 0; h < nheads; h++)
				if (strcmp(heads[h]->name, ref) == 0 &&
				    !expsync_may_move(r, &heads[h]->oid, &want))
					expsync_list_add(&bad, &nbad, ref);
		}
		git_remote_disconnect(rem);
		if (e == NULL && nbad)
			e = expsync_diverged(&bad, nbad, gitremote, true);
		buf_release(&bad);
	}
	if (e == NULL)
		e = expsync_data(res, r, commits, nsel, true, opts);
	if (e == NULL) {
		git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
		po.callbacks = cb;
		po.callbacks.push_update_reference = expsync_push_status;
		po.callbacks.payload = &refused;
		arr.strings = specs;
		arr.count = nsel;
		if (git_remote_push(rem, &arr, &po) < 0)
			e = err_git("push experiments to '%s'", gitremote);
		else if (refused)
			e = err_new(CAIRN_ERR_FAILED, "'%s' refused %s", gitremote, refused);
		else
			res->refs = nsel;
	}
	free(refused);
	git_remote_free(rem);
	for (i = 0; i < nsel; i++)
		free(specs[i]);
	free(specs);
	free(commits);
	exp_infos_free(v, nv);
	return e;
}

/*
 * Point the fetched experiments' refs at their commits: all of them, or
 * none when one differs here and force is not given.
 */
static const struct cairn_error *expsync_set_refs(struct repo *r, char **refs,
						  char (*commits)[41], size_t n, bool force,
						  const char *gitremote)
{
	const struct cairn_error *e = NULL;
	struct buf bad = BUF_INIT;
	size_t i, nbad = 0;

	buf_init(&bad);
	for (i = 0; i < n && !force; i++) {
		git_oid want, have;

		git_oid_fromstr(&want, commits[i]);
		if (git_reference_name_to_id(&have, r->git, refs[i]) == 0 &&
		    !expsync_may_move(r, &have, &want))
			expsync_list_add(&bad, &nbad, refs[i]);
	}
	if (nbad)
		e = expsync_diverged(&bad, nbad, gitremote, false);
	for (i = 0; i < n && e == NULL; i++) {
		git_reference *ref = NULL;
		git_oid want;

		git_oid_fromstr(&want, commits[i]);
		if (git_reference_create(&ref, r->git, refs[i], &want, 1, "cairn exp pull") < 0)
			e = err_git("set '%s'", refs[i]);
		git_reference_free(ref);
	}
	buf_release(&bad);
	return e;
}

const struct cairn_error *expsync_pull(struct expsync_result *res, struct repo *r,
				       const char *gitremote, char **names, size_t n, bool force,
				       const struct xfer_opts *opts)
{
	const struct cairn_error *e = NULL;
	const git_remote_head **heads;
	git_remote_callbacks cb;
	git_fetch_options fo;
	git_remote *rem = NULL;
	size_t nheads = 0, i, k, nsel = 0, plen = strlen(EXP_REF_PREFIX);
	char (*commits)[41] = NULL;
	char **specs = NULL;
	bool *seen = xcalloc(n ? n : 1, sizeof(bool));
	git_strarray arr;

	memset(res, 0, sizeof(*res));
	if ((e = expsync_remote(&rem, r, gitremote)) != NULL)
		goto done;
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb.credentials = expsync_cred;
	if (git_remote_connect(rem, GIT_DIRECTION_FETCH, &cb, NULL, NULL) < 0 ||
	    git_remote_ls(&heads, &nheads, rem) < 0) {
		e = err_git("list experiments of '%s'", gitremote);
		goto done;
	}
	commits = xcalloc(nheads ? nheads : 1, sizeof(*commits));
	specs = xcalloc(nheads ? nheads : 1, sizeof(char *));
	for (i = 0; i < nheads; i++) {
		const char *name = heads[i]->name, *slash;
		bool want = n == 0;

		if (strncmp(name, EXP_REF_PREFIX, plen) != 0 ||
		    (slash = strchr(name + plen, '/')) == NULL)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(slash + 1, names[k]) == 0)
				want = seen[k] = true;
		if (!want)
			continue;
		git_oid_tostr(commits[nsel], 41, &heads[i]->oid);
		specs[nsel++] = xstrdup(name); /* objects only: the refs are set below */
	}
	for (k = 0; k < n && e == NULL; k++)
		if (!seen[k])
			e = err_new(CAIRN_ERR_NOT_FOUND, "no experiment '%s' on '%s'", names[k],
				    gitremote);
	if (e == NULL && nsel == 0)
		e = err_new(CAIRN_ERR_NOT_FOUND, "no experiments on '%s'", gitremote);
	git_remote_disconnect(rem);
	if (e)
		goto done;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks.credentials = expsync_cred;
	arr.strings = specs;
	arr.count = nsel;
	if (git_remote_fetch(rem, &arr, &fo, "cairn exp pull") < 0) {
		e = err_git("fetch experiments from '%s'", gitremote);
		goto done;
	}
	if ((e = expsync_set_refs(r, specs, commits, nsel, force, gitremote)) != NULL)
		goto done;
	res->refs = nsel;
	e = expsync_data(res, r, commits, nsel, false, opts);
done:
	git_remote_free(rem);
	for (i = 0; i < nsel; i++)
		free(specs[i]);
	free(specs);
	free(commits);
	free(seen);
	return e;
}
