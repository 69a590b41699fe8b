/*
 * exp.c: experiments. Worktrees come from wtree.c, the runs are child
 * processes of the cairn binary itself (`cairn -C WT checkout` then
 * `cairn -C WT repro`, output to the experiment's log), and the commit and
 * ref are made here with libgit2: the worktree's index takes every file Git
 * does not ignore, its tree is committed on the baseline, and the ref is
 * written in the shared repository.
 */
#include "buildconf.h"

#include "core/exp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/cache.h"
#include "core/checkout.h"
#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/lockfile.h"
#include "core/out.h"
#include "core/params.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/runner.h"
#include "core/stage.h"
#include "core/stageout.h"
#include "core/valdiff.h"
#include "core/work.h"
#include "core/wtree.h"
#include "core/xmalloc.h"

void exp_specs_free(struct exp_spec *v, size_t n)
{
	size_t i, j;

	for (i = 0; v && i < n; i++) {
		free(v[i].name);
		for (j = 0; j < v[i].nset; j++)
			free(v[i].set[j]);
		free(v[i].set);
	}
	free(v);
}

void exp_infos_free(struct exp_info *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].ref);
		free(v[i].reason);
		free(v[i].log);
	}
	free(v);
}

static char *exp_random_name(void)
{
	unsigned char b[3] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, b, sizeof(b)) != (ssize_t)sizeof(b))
			memset(b, 0, sizeof(b));
		close(fd);
	}
	return xasprintf("exp-%02x%02x%02x", b[0], b[1], b[2] ^ (unsigned char)getpid());
}

const struct cairn_error *exp_plan(struct exp_spec **out, size_t *n, char **set, size_t nset,
				   const char *name)
{
	size_t total = 1, i, k;
	const char *why;

	*out = NULL;
	*n = 0;
	for (i = 0; i < nset; i++) {
		const char *eq = strchr(set[i], '=');
		size_t vals = 1;
		const char *c;

		if (eq == NULL || eq == set[i] || eq[-1] == ':')
			return err_new(CAIRN_ERR_USAGE, "-S needs [FILE:]KEY=VALUE, not '%s'", set[i]);
		for (c = eq + 1; *c; c++)
			vals += *c == ',';
		if (total > 1000 / vals)
			return err_new(CAIRN_ERR_USAGE, "too many experiments (more than 1000)");
		total *= vals;
	}
	if (name && (why = stage_name_check(name)) != NULL)
		return err_new(CAIRN_ERR_USAGE, "bad experiment name '%s': %s", name, why);
	*out = xcalloc(total, sizeof(**out));
	*n = total;
	for (k = 0; k < total; k++) {
		struct exp_spec *s = &(*out)[k];
		size_t rest = k;

		s->set = xcalloc(nset ? nset : 1, sizeof(char *));
		for (i = 0; i < nset; i++) {
			const char *eq = strchr(set[i], '='), *start = eq + 1, *end;
			size_t vals = 1, pick;
			const char *c;

			for (c = eq + 1; *c; c++)
				vals += *c == ',';
			pick = rest % vals;
			rest /= vals;
			while (pick--)
				start = strchr(start, ',') + 1;
			end = strchr(start, ',');
			s->set[s->nset++] = xasprintf("%.*s%.*s", (int)(eq - set[i] + 1), set[i],
						      (int)(end ? (size_t)(end - start) : strlen(start)),
						      start);
		}
		if (name && total == 1)
			s->name = xstrdup(name);
		else if (name)
			s->name = xasprintf("%s-%zu", name, k + 1);
		else
			s->name = exp_random_name();
	}
	return NULL;
}

/* ---- paths ---- */

static char *exp_dir(struct repo *r, const char *baseline)
{
	char *root = wtree_main_root(r);
	char *d = xasprintf("%s/.cairn/tmp/exps/%.*s", root, EXP_SHORT, baseline);

	free(root);
	return d;
}

static char *exp_refname(const char *baseline, const char *name)
{
	return xasprintf("%s%.*s/%s", EXP_REF_PREFIX, EXP_SHORT, baseline, name);
}

/* ---- workspace changes into the worktree ---- */

/* Copy a regular file (streamed) to a new path, through a temp name in its folder. */
static const struct cairn_error *exp_copy_file(const char *from, const char *to)
{
	const struct cairn_error *e;
	struct stat st;
	char *dir, *tmp = NULL;
	int in = -1, out = -1;

	if (lstat(from, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	dir = fs_dirname(to);
	if ((e = fs_mkdirs(dir, 0777)) != NULL)
		goto done;
	tmp = xasprintf("%s/.cairn-copy-XXXXXX", dir);
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0 || (out = mkstemp(tmp)) < 0) {
		e = err_errno("copy '%s'", from);
		goto done;
	}
	if ((e = fs_copy_fd(out, in, (uint64_t)st.st_size)) == NULL &&
	    (fchmod(out, st.st_mode & 0777) < 0 || rename(tmp, to) < 0))
		e = err_errno("copy '%s'", from);
done:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (e && tmp)
		unlink(tmp);
	free(tmp);
	free(dir);
	return e;
}

/* Copy what git status shows changed (tracked or new, not ignored) from r into wt. */
static const struct cairn_error *exp_copy_changes(struct repo *r, const char *wt)
{
	const struct cairn_error *e = NULL;
	git_status_options so;
	git_status_list *sl = NULL;
	size_t i, n;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&sl, r->git, &so) < 0)
		return err_git("read the status of the work tree");
	n = git_status_list_entrycount(sl);
	for (i = 0; i < n && e == NULL; i++) {
		const git_status_entry *s = git_status_byindex(sl, i);
		const git_diff_delta *d = s->index_to_workdir ? s->index_to_workdir
							      : s->head_to_index;
		const char *path;
		char *from, *to;

		if (d == NULL)
			continue;
		path = d->new_file.path ? d->new_file.path : d->old_file.path;
		if (strcmp(path, ".cairn") == 0 || strncmp(path, ".cairn/", 7) == 0)
			continue;
		from = fs_join(r->root, path);
		to = fs_join(wt, path);
		if (s->status & (GIT_STATUS_WT_DELETED | GIT_STATUS_INDEX_DELETED))
			unlink(to);
		else
			e = exp_copy_file(from, to);
		free(from);
		free(to);
	}
	git_status_list_free(sl);
	return e;
}

/* Apply "[FILE:]KEY=VALUE" in the worktree's params file. */
static const struct cairn_error *exp_set_param(const char *wt, const char *set)
{
	const struct cairn_error *e;
	const char *eq = strchr(set, '='), *colon = memchr(set, ':', (size_t)(eq - set));
	char *file = colon ? xstrndup(set, (size_t)(colon - set)) : xstrdup(PARAMS_DEFAULT_FILE);
	char *key = colon ? xstrndup(colon + 1, (size_t)(eq - colon - 1))
			  : xstrndup(set, (size_t)(eq - set));
	char *rel = NULL, *path = NULL;
	struct buf b = BUF_INIT;
	json_t *doc = NULL;
	bool ext;

	buf_init(&b);
	if ((e = stage_norm_path(&rel, &ext, "", file, NULL)) != NULL || ext) {
		e = e ? e : err_new(CAIRN_ERR_FAILED, "params file '%s' is outside the repository", file);
		goto done;
	}
	path = fs_join(wt, rel);
	e = params_load(&doc, path, rel);
	if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
		doc = json_object();
		e = NULL;
	}
	if (e == NULL && !json_is_object(doc))
		e = err_new(CAIRN_ERR_FORMAT, "'%s' is not a mapping of params", rel);
	if (e == NULL)
		e = params_set(doc, key, eq + 1);
	if (e == NULL)
		e = params_format(&b, doc, rel);
	if (e == NULL)
		e = fs_atomic_write(path, b.s, b.len, 0644);
done:
	json_decref(doc);
	buf_release(&b);
	free(path);
	free(rel);
	free(file);
	free(key);
	return e;
}

/* ---- committing ---- */

static const struct cairn_error *exp_commit(struct repo *r, const char *wt, const char *baseline,
					    const struct exp_spec *s)
{
	const struct cairn_error *e = NULL;
	git_repository *g = NULL;
	git_index *idx = NULL;
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_reference *ref = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id, base_id;
	char *pattern = (char *)".", *refname = exp_refname(baseline, s->name);
	git_strarray paths = { &pattern, 1 };
	struct buf msg = BUF_INIT;
	size_t i;
	int rc = 0;

	buf_init(&msg);
	if (git_repository_open(&g, wt) < 0 || git_repository_index(&idx, g) < 0 ||
	    git_index_add_all(idx, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_update_all(idx, &paths, NULL, NULL) < 0 ||
	    git_index_write_tree(&tree_id, idx) < 0 || git_tree_lookup(&tree, g, &tree_id) < 0 ||
	    git_oid_fromstr(&base_id, baseline) < 0 || git_commit_lookup(&parent, g, &base_id) < 0) {
		e = err_git("record experiment '%s'", s->name);
		goto done;
	}
	if (git_signature_default(&sig, g) < 0 &&
	    git_signature_now(&sig, "cairn", "cairn@localhost") < 0) {
		e = err_git("signature for experiment '%s'", s->name);
		goto done;
	}
	buf_addf(&msg, "cairn experiment %s\n", s->name);
	if (s->nset)
		buf_adds(&msg, "\n");
	for (i = 0; i < s->nset; i++)
		buf_addf(&msg, "%s\n", s->set[i]);
	if (git_commit_create(&commit_id, g, NULL, sig, sig, NULL, msg.s, tree, 1,
			      (const git_commit **)&parent) < 0 ||
	    (rc = git_reference_create(&ref, r->git, refname, &commit_id, 0, msg.s)) < 0)
		e = rc == GIT_EEXISTS ? err_new(CAIRN_ERR_EXISTS,
						"experiment '%s' was recorded meanwhile by another run",
						s->name)
				      : err_git("record experiment '%s'", s->name);
done:
	git_reference_free(ref);
	git_commit_free(parent);
	git_tree_free(tree);
	git_signature_free(sig);
	git_index_free(idx);
	git_repository_free(g);
	buf_release(&msg);
	free(refname);
	return e;
}

/* ---- running ---- */

struct exp_job {
	struct exp_spec *spec;
	char *wt;
	char *log;
	int logfd;     /* the log, flock'ed while the experiment runs: its claim on the name */
	bool claimed;  /* the name is ours: failures and logs are recorded */
	pid_t pid;
	bool done;
};

/* The last "cairn: error:" line of a log, or a fallback. */
static char *exp_log_error(const char *log, const char *fallback)
{
	struct buf b = BUF_INIT;
	char *found = NULL, *line, *save = NULL;

	buf_init(&b);
	if (fs_read_file(&b, log, 16u << 20) == NULL)
		for (line = strtok_r(b.s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (strncmp(line, "cairn: error: ", 14) == 0) {
				free(found);
				found = xstrdup(line + 14);
			}
	buf_release(&b);
	return found ? found : xstrdup(fallback);
}

static void exp_record_failure(const char *dir, const char *name, const char *reason)
{
	char *path = xasprintf("%s/%s.failed", dir, name), *text = xasprintf("%s\n", reason);

	(void)fs_atomic_write(path, text, strlen(text), 0644);
	free(path);
	free(text);
}

/*
 * Claim the experiment's name for this run: its log, locked until the run
 * ends (a lock dies with its holders, so a killed run leaves no claim).
 * Another run of the same name and baseline, from any worktree, holds it.
 */
static const struct cairn_error *exp_claim(struct exp_job *j, struct repo *r,
					   const char *baseline, const char *dir)
{
	char *refname = exp_refname(baseline, j->spec->name), *failed;
	git_reference *ref = NULL;
	bool exists;

	j->log = xasprintf("%s/%s.log", dir, j->spec->name);
	j->logfd = open(j->log, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (j->logfd < 0) {
		free(refname);
		return err_errno("create '%s'", j->log);
	}
	if (flock(j->logfd, LOCK_EX | LOCK_NB) < 0) {
		free(refname);
		if (errno == EWOULDBLOCK)
			return err_hint(err_new(CAIRN_ERR_LOCKED,
						"experiment '%s' is already running",
						j->spec->name),
					"wait for it, or name this one differently with -n");
		return err_errno("lock '%s'", j->log);
	}
	exists = git_reference_lookup(&ref, r->git, refname) == 0;
	git_reference_free(ref);
	free(refname);
	if (exists)
		return err_hint(err_new(CAIRN_ERR_EXISTS, "experiment '%s' exists", j->spec->name),
				"remove it first: cairn exp remove %s", j->spec->name);
	if (ftruncate(j->logfd, 0) < 0)
		return err_errno("truncate '%s'", j->log);
	j->claimed = true;
	failed = xasprintf("%s/%s.failed", dir, j->spec->name);
	unlink(failed); /* a new run replaces an old failure */
	free(failed);
	return NULL;
}

static const struct cairn_error *exp_start(struct exp_job *j, struct repo *r,
					   const char *baseline, const char *dir,
					   const struct exp_run_opts *o)
{
	const struct cairn_error *e;
	/*
	 * What the cache lacks is not checked out: repro makes the outputs
	 * again, and names a dependency that nothing can make.
	 */
	char *argv[] = { (char *)"/bin/sh", (char *)"-c",
			 (char *)"\"$0\" -C \"$1\" -q checkout; exec \"$0\" -C \"$1\" repro",
			 (char *)o->self, NULL, NULL };
	struct runner_opts ro = { NULL, -1, NULL };
	size_t i;

	if ((e = exp_claim(j, r, baseline, dir)) != NULL)
		return e;
	if ((e = wtree_add(&j->wt, r, baseline, j->spec->name)) != NULL)
		return e;
	if ((e = exp_copy_changes(r, j->wt)) != NULL)
		return e;
	for (i = 0; i < j->spec->nset; i++)
		if ((e = exp_set_param(j->wt, j->spec->set[i])) != NULL)
			return e;
	argv[4] = j->wt;
	ro.out_fd = j->logfd;
	return runner_start(&j->pid, argv, &ro);
}

static void exp_end(struct exp_job *j, struct repo *r, const char *dir, const char *reason,
		    size_t *failed, const struct exp_run_opts *o)
{
	if (reason) {
		if (j->claimed) /* a run that did not get the name leaves its record alone */
			exp_record_failure(dir, j->spec->name, reason);
		(*failed)++;
	}
	if (o->event)
		o->event(j->spec->name, true, reason, j->claimed ? j->log : NULL, o->event_arg);
	if (j->wt)
		(void)wtree_remove(r, j->wt);
	free(j->wt);
	j->wt = NULL;
	if (reason == NULL && j->claimed)
		unlink(j->log); /* a finished experiment keeps no log (unlinked while claimed) */
	if (j->logfd >= 0)
		close(j->logfd);
	j->logfd = -1;
	j->pid = 0;
	j->done = true;
}

const struct cairn_error *exp_run(size_t *failed, struct repo *r, struct exp_spec *v, size_t n,
				  const struct exp_run_opts *o)
{
	const struct cairn_error *e = NULL;
	char baseline[REV_HEXLEN + 1];
	struct exp_job *jobs;
	pid_t *pids;
	size_t next = 0, running = 0, i, max = o->jobs > 0 ? (size_t)o->jobs : 1;
	char *dir;

	*failed = 0;
	if ((e = rev_resolve(baseline, r, "HEAD")) != NULL)
		return err_hint(err_wrap(e, "no baseline"), "commit the pipeline first");
	for (i = 0; i < n; i++) {
		char *refname = exp_refname(baseline, v[i].name);
		git_reference *ref = NULL;
		bool exists = git_reference_lookup(&ref, r->git, refname) == 0;

		git_reference_free(ref);
		free(refname);
		if (exists)
			return err_hint(err_new(CAIRN_ERR_EXISTS, "experiment '%s' exists", v[i].name),
					"remove it first: cairn exp remove %s", v[i].name);
	}
	dir = exp_dir(r, baseline);
	if ((e = fs_mkdirs(dir, 0777)) != NULL) {
		free(dir);
		return e;
	}
	wtree_prune(r);
	jobs = xcalloc(n, sizeof(*jobs));
	pids = xcalloc(n, sizeof(pid_t));
	for (i = 0; i < n; i++) {
		jobs[i].spec = &v[i];
		jobs[i].logfd = -1;
	}
	while (next < n || running) {
		size_t which;
		int status;

		while (next < n && running < max && e == NULL) {
			struct exp_job *j = &jobs[next++];
			const struct cairn_error *se;

			if ((e = o->cancel ? o->cancel(o->cancel_arg) : NULL) != NULL)
				break;
			if (o->event)
				o->event(j->spec->name, false, NULL, NULL, o->event_arg);
			se = exp_start(j, r, baseline, dir, o);
			if (se) {
				exp_end(j, r, dir, se->msg, failed, o);
				continue;
			}
			pids[j - jobs] = j->pid;
			running++;
		}
		if (running == 0)
			break;
		e = runner_wait_any(&which, &status, pids, n, o->cancel, o->cancel_arg);
		if (e) {
			for (i = 0; i < n; i++)
				if (pids[i] > 0 && !jobs[i].done)
					exp_end(&jobs[i], r, dir, "interrupted", failed, o);
			break;
		}
		pids[which] = 0;
		running--;
		if (!runner_status_ok(status)) {
			char how[96], *reason;

			runner_status_text(how, sizeof(how), status);
			reason = exp_log_error(jobs[which].log, how);
			exp_end(&jobs[which], r, dir, reason, failed, o);
			free(reason);
		} else {
			const struct cairn_error *ce = exp_commit(r, jobs[which].wt, baseline,
								  jobs[which].spec);

			exp_end(&jobs[which], r, dir, ce ? ce->msg : NULL, failed, o);
		}
	}
	for (i = 0; i < n; i++) {
		if (!jobs[i].done && jobs[i].logfd >= 0)
			close(jobs[i].logfd);
		free(jobs[i].log);
		free(jobs[i].wt);
	}
	free(jobs);
	free(pids);
	free(dir);
	return e;
}

/* ---- listing ---- */

struct exp_collect {
	struct exp_info *v;
	size_t n, cap;
	struct repo *r;
};

static int exp_ref_cb(const char *name, void *arg)
{
	struct exp_collect *c = arg;
	const char *rest = name + strlen(EXP_REF_PREFIX), *slash = strchr(rest, '/');
	struct exp_info *in;
	git_reference *ref = NULL;
	git_commit *commit = NULL;

	if (slash == NULL || git_reference_lookup(&ref, c->r->git, name) < 0)
		return 0;
	if (git_reference_target(ref) == NULL ||
	    git_commit_lookup(&commit, c->r->git, git_reference_target(ref)) < 0) {
		git_reference_free(ref);
		return 0;
	}
	XGROW(c->v, c->n + 1, c->cap);
	in = &c->v[c->n++];
	memset(in, 0, sizeof(*in));
	in->name = xstrdup(slash + 1);
	in->ref = xstrdup(name);
	git_oid_tostr(in->commit, sizeof(in->commit), git_commit_id(commit));
	if (git_commit_parentcount(commit) > 0)
		git_oid_tostr(in->baseline, sizeof(in->baseline), git_commit_parent_id(commit, 0));
	git_commit_free(commit);
	git_reference_free(ref);
	return 0;
}

static void exp_collect_failed(struct exp_collect *c, const char *dir, const char *baseline)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		struct exp_info *in;
		struct buf b = BUF_INIT;
		char *path;

		if (l <= 7 || strcmp(de->d_name + l - 7, ".failed") != 0)
			continue;
		XGROW(c->v, c->n + 1, c->cap);
		in = &c->v[c->n++];
		memset(in, 0, sizeof(*in));
		in->name = xstrndup(de->d_name, l - 7);
		in->failed = true;
		snprintf(in->baseline, sizeof(in->baseline), "%s", baseline);
		path = xasprintf("%s/%s", dir, de->d_name);
		buf_init(&b);
		if (fs_read_file(&b, path, 4096) == NULL && b.len && b.s[b.len - 1] == '\n')
			b.s[--b.len] = '\0';
		in->reason = buf_detach(&b);
		free(path);
		in->log = xasprintf("%s/%s.log", dir, in->name);
	}
	closedir(d);
}

static int exp_info_cmp(const void *a, const void *b)
{
	const struct exp_info *x = a, *y = b;
	int c = strcmp(x->baseline, y->baseline);

	return c ? c : strcmp(x->name, y->name);
}

const struct cairn_error *exp_list(struct exp_info **out, size_t *n, struct repo *r, bool all)
{
	const struct cairn_error *e;
	struct exp_collect c = { NULL, 0, 0, r };
	char head[REV_HEXLEN + 1], *glob, *dir;
	size_t i;

	*out = NULL;
	*n = 0;
	if ((e = rev_resolve(head, r, "HEAD")) != NULL)
		return err_is(e, CAIRN_ERR_NOT_FOUND) ? NULL : e;
	glob = all ? xasprintf("%s*", EXP_REF_PREFIX)
		   : xasprintf("%s%.*s/*", EXP_REF_PREFIX, EXP_SHORT, head);
	if (git_reference_foreach_glob(r->git, glob, exp_ref_cb, &c) < 0)
		e = err_git("list experiments");
	free(glob);
	dir = exp_dir(r, head);
	exp_collect_failed(&c, dir, head);
	free(dir);
	for (i = 0; i < c.n; i++)
		if (c.v[i].baseline[0] == '\0')
			snprintf(c.v[i].baseline, sizeof(c.v[i].baseline), "%s", head);
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), exp_info_cmp);
	*out = c.v;
	*n = c.n;
	return e;
}

const struct cairn_error *exp_find(struct exp_info *out, struct repo *r, const char *name)
{
	const struct cairn_error *e;
	struct exp_info *v;
	char head[REV_HEXLEN + 1];
	size_t n, i, pick = (size_t)-1;

	memset(out, 0, sizeof(*out));
	if ((e = exp_list(&v, &n, r, true)) != NULL)
		return e;
	if (rev_resolve(head, r, "HEAD") != NULL)
		head[0] = '\0';
	for (i = 0; i < n; i++)
		if (!v[i].failed && strcmp(v[i].name, name) == 0 &&
		    (pick == (size_t)-1 || strcmp(v[i].baseline, head) == 0))
			pick = i;
	if (pick == (size_t)-1) {
		exp_infos_free(v, n);
		return err_new(CAIRN_ERR_NOT_FOUND, "no experiment '%s'", name);
	}
	*out = v[pick];
	memset(&v[pick], 0, sizeof(v[pick]));
	exp_infos_free(v, n);
	return NULL;
}

/* ---- apply, branch, remove ---- */

static const struct cairn_error *exp_dirty(bool *dirty, struct repo *r)
{
	git_status_options so;
	git_status_list *sl = NULL;

	*dirty = false;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&sl, r->git, &so) < 0)
		return err_git("read the status of the work tree");
	*dirty = git_status_list_entrycount(sl) > 0;
	git_status_list_free(sl);
	return NULL;
}

/* The first path a safe checkout would overwrite (untracked or ignored). */
static int exp_conflict_cb(git_checkout_notify_t why, const char *path,
			   const git_diff_file *baseline, const git_diff_file *target,
			   const git_diff_file *workdir, void *payload)
{
	char **first = payload;

	(void)why;
	(void)baseline;
	(void)target;
	(void)workdir;
	if (*first == NULL)
		*first = xstrdup(path);
	return 0;
}

/*
 * Can the experiment's cached outputs be put in the workspace? Each must be
 * in the cache, and without force none may replace data the cache lacks.
 */
static const struct cairn_error *exp_outs_safe(struct work *w, const struct out_list *outs,
					       const struct exp_info *in, bool force)
{
	const struct cairn_error *e = NULL;
	struct buf lost = BUF_INIT;
	size_t i, n = 0;

	buf_init(&lost);
	for (i = 0; i < outs->n && e == NULL; i++) {
		struct lockfile_entry now;

		if (!cache_has(w->cache, &outs->v[i].ptr->id)) {
			e = err_hint(err_new(CAIRN_ERR_NOT_FOUND,
					     "output '%s' of experiment '%s' is not in the cache",
					     outs->v[i].rel, in->name),
				     "fetch it first: cairn fetch --rev %s", in->ref);
			break;
		}
		if (force)
			continue;
		e = stageout_hash(&now, w, outs->v[i].rel, false, false);
		free(now.path);
		if (err_is(e, CAIRN_ERR_NOT_FOUND)) {
			e = NULL;
			continue;
		}
		if (e || oid_equal(&now.id, &outs->v[i].ptr->id) || cache_has(w->cache, &now.id))
			continue;
		buf_addf(&lost, "%s'%s'", n++ ? ", " : "", outs->v[i].rel);
	}
	if (e == NULL && n)
		e = err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				     "applying '%s' would overwrite data that is not in the cache: %s",
				     in->name, lost.s),
			     "save it with 'cairn add' or move it away, or use --force to overwrite it");
	buf_release(&lost);
	return e;
}

const struct cairn_error *exp_apply(struct repo *r, const char *name, bool force)
{
	const struct cairn_error *e;
	git_checkout_options co;
	git_object *obj = NULL;
	struct out_list outs = OUT_LIST_INIT;
	struct checkout_opts copts = { 0 };
	struct exp_info in;
	struct work w;
	bool dirty = false, opened = false;
	char *clash = NULL;
	size_t i;
	int rc;

	if ((e = exp_find(&in, r, name)) != NULL)
		return e;
	if ((e = exp_dirty(&dirty, r)) != NULL)
		goto done;
	if (dirty && !force) {
		e = err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
				     "the workspace has uncommitted changes; not applying '%s'", name),
			     "commit or stash them, or use --force to overwrite them");
		goto done;
	}
	/* everything is checked before anything is written */
	if ((e = work_open(&w, r)) != NULL)
		goto done;
	opened = true;
	if ((e = stageout_rev_locked(&outs, r, in.commit)) != NULL)
		goto done;
	if ((e = exp_outs_safe(&w, &outs, &in, force)) != NULL)
		goto done;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_DONT_UPDATE_INDEX |
			       (force ? GIT_CHECKOUT_FORCE
				      : GIT_CHECKOUT_SAFE | GIT_CHECKOUT_DONT_OVERWRITE_IGNORED);
	co.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
	co.notify_cb = exp_conflict_cb;
	co.notify_payload = &clash;
	if (git_revparse_single(&obj, r->git, in.commit) < 0) {
		e = err_git("apply experiment '%s'", name);
		goto done;
	}
	/* a safe checkout changes nothing when it finds a conflict */
	if ((rc = git_checkout_tree(r->git, obj, &co)) < 0) {
		if (rc == GIT_ECONFLICT && clash)
			e = err_hint(err_new(CAIRN_ERR_WOULD_CLOBBER,
					     "applying '%s' would overwrite '%s', which is not "
					     "committed",
					     name, clash),
				     "commit, stash or move it away, or use --force to overwrite it");
		else
			e = err_git_code(rc, "apply experiment '%s'", name);
		goto done;
	}
	/* the experiment's outputs, from the cache */
	copts.force = force;
	for (i = 0; e == NULL && i < outs.n; i++) {
		struct checkout_result res;

		e = checkout_out(&res, &w, &outs.v[i], &copts);
	}
done:
	if (opened)
		work_close(&w);
	out_list_release(&outs);
	git_object_free(obj);
	free(clash);
	free(in.name);
	free(in.ref);
	free(in.reason);
	free(in.log);
	return e;
}

const struct cairn_error *exp_branch(struct repo *r, const char *name, const char *branch)
{
	const struct cairn_error *e;
	git_reference *ref = NULL;
	git_commit *c = NULL;
	git_oid id;
	struct exp_info in;
	int rc;

	if ((e = exp_find(&in, r, name)) != NULL)
		return e;
	if (git_oid_fromstr(&id, in.commit) < 0 || git_commit_lookup(&c, r->git, &id) < 0) {
		e = err_git("experiment '%s'", name);
	} else if ((rc = git_branch_create(&ref, r->git, branch, c, 0)) < 0) {
		e = rc == GIT_EEXISTS ? err_new(CAIRN_ERR_EXISTS, "branch '%s' exists", branch)
				      : err_git_code(rc, "create branch '%s'", branch);
	}
	git_reference_free(ref);
	git_commit_free(c);
	free(in.name);
	free(in.ref);
	free(in.reason);
	free(in.log);
	return e;
}

const struct cairn_error *exp_remove(struct repo *r, const char *name)
{
	const struct cairn_error *e;
	struct exp_info *v;
	size_t n, i;
	bool found = false;

	if ((e = exp_list(&v, &n, r, true)) != NULL)
		return e;
	for (i = 0; i < n && e == NULL; i++) {
		if (strcmp(v[i].name, name) != 0)
			continue;
		found = true;
		if (v[i].ref) {
			git_reference *ref = NULL;

			if (git_reference_lookup(&ref, r->git, v[i].ref) < 0 ||
			    git_reference_delete(ref) < 0)
				e = err_git("remove experiment '%s'", name);
			git_reference_free(ref);
		} else {
			char *dir = exp_dir(r, v[i].baseline), *p = xasprintf("%s/%s.failed", dir, name);

			unlink(p);
			unlink(v[i].log);
			free(p);
			free(dir);
		}
	}
	exp_infos_free(v, n);
	if (e == NULL && !found)
		e = err_new(CAIRN_ERR_NOT_FOUND, "no experiment '%s'", name);
	return e;
}

/* {file: {key: v}} into {"file:key": v}, keeping only keys whose value differs from base. */
static json_t *exp_flat(const json_t *vals, const json_t *base)
{
	json_t *out = json_object(), *kv, *v;
	const char *file, *key;

	json_object_foreach((json_t *)vals, file, kv) {
		json_t *bk = base ? json_object_get(base, file) : NULL;

		json_object_foreach(kv, key, v) {
			json_t *bv = bk ? json_object_get(bk, key) : NULL;
			char *name;

			if (base && bv && json_equal(bv, v))
				continue;
			name = xasprintf("%s:%s", file, key);
			json_object_set(out, name, v);
			free(name);
		}
	}
	return out;
}

static const struct cairn_error *exp_row(json_t *rows, struct repo *r, const char *name,
					 const char *rev, const char *baseline, const char *state,
					 const json_t *base_params)
{
	const struct cairn_error *e;
	json_t *row = json_object(), *p = NULL, *m = NULL;

	json_object_set_new(row, "name", json_string(name));
	json_object_set_new(row, "rev", json_stringn(rev, EXP_SHORT));
	json_object_set_new(row, "baseline", json_stringn(baseline, EXP_SHORT));
	json_object_set_new(row, "state", json_string(state));
	if ((e = valdiff_load(&p, r, rev, VALDIFF_PARAMS)) == NULL &&
	    (e = valdiff_load(&m, r, rev, VALDIFF_METRICS)) == NULL) {
		json_object_set_new(row, "params", exp_flat(p, base_params));
		json_object_set_new(row, "metrics", exp_flat(m, NULL));
	}
	json_decref(p);
	json_decref(m);
	json_array_append_new(rows, row);
	return e;
}

const struct cairn_error *exp_show(json_t **out, struct repo *r, bool all)
{
	const struct cairn_error *e;
	struct exp_info *v = NULL;
	char head[REV_HEXLEN + 1];
	json_t *rows = json_array(), *base = NULL;
	size_t n = 0, i;

	*out = NULL;
	if ((e = rev_resolve(head, r, "HEAD")) != NULL)
		goto done;
	if ((e = exp_list(&v, &n, r, all)) != NULL)
		goto done;
	if ((e = valdiff_load(&base, r, head, VALDIFF_PARAMS)) != NULL)
		goto done;
	if ((e = exp_row(rows, r, "baseline", head, head, "baseline", NULL)) != NULL)
		goto done;
	for (i = 0; i < n && e == NULL; i++) {
		json_t *row;

		if (!v[i].failed) {
			e = exp_row(rows, r, v[i].name, v[i].commit, v[i].baseline, "done", base);
			continue;
		}
		row = json_object();
		json_object_set_new(row, "name", json_string(v[i].name));
		json_object_set_new(row, "baseline", json_stringn(v[i].baseline, EXP_SHORT));
		json_object_set_new(row, "state", json_string("failed"));
		json_object_set_new(row, "reason", json_string(v[i].reason ? v[i].reason : ""));
		json_object_set_new(row, "log", json_string(v[i].log));
		json_object_set_new(row, "params", json_object());
		json_object_set_new(row, "metrics", json_object());
		json_array_append_new(rows, row);
	}
done:
	exp_infos_free(v, n);
	json_decref(base);
	if (e)
		json_decref(rows);
	else
		*out = rows;
	return e;
}
