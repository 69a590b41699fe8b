/*
 * shim.c: writing and removing the hook shims. The installer checks every
 * hook before it changes any, so a refusal leaves the folder as it was;
 * foreign hooks are moved aside with rename (never copied or followed) and
 * run first by the shim.
 */
#include "buildconf.h"

#include "hooks/shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/repo.h"
#include "core/xmalloc.h"

const char *const shim_names[] = {
	"pre-commit", "pre-push", "post-checkout", "post-merge", "post-rewrite", NULL,
};

bool shim_known(const char *name)
{
	int i;

	for (i = 0; shim_names[i]; i++)
		if (strcmp(shim_names[i], name) == 0)
			return true;
	return false;
}

const struct cairn_error *shim_hooks_dir(char **out, struct repo *r)
{
	git_config *cfg = NULL;
	git_buf path = { NULL, 0, 0 };
	int rc;

	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return err_git("read the git configuration");
	rc = git_config_get_path(&path, cfg, "core.hooksPath");
	git_config_free(cfg);
	if (rc == 0 && path.ptr && *path.ptr) {
		*out = path.ptr[0] == '/' ? xstrdup(path.ptr) : fs_join(r->root, path.ptr);
		git_buf_dispose(&path);
		return NULL;
	}
	git_buf_dispose(&path);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return err_git_code(rc, "read core.hooksPath");
	if (git_repository_item_path(&path, r->git, GIT_REPOSITORY_ITEM_HOOKS) < 0)
		return err_git("find the git hooks folder");
	*out = xstrdup(path.ptr);
	git_buf_dispose(&path);
	if (strlen(*out) > 1 && (*out)[strlen(*out) - 1] == '/')
		(*out)[strlen(*out) - 1] = '\0';
	return NULL;
}

static bool shim_reads_stdin(const char *name)
{
	return strcmp(name, "pre-push") == 0 || strcmp(name, "post-rewrite") == 0;
}

void shim_text(struct buf *out, const char *name)
{
	bool in = shim_reads_stdin(name), pre = strncmp(name, "pre-", 4) == 0;
	const char *feed = in ? "printf '%s\\n' \"$input\" | " : "";

	buf_addf(out, "#!/bin/sh\n");
	buf_addf(out, "%s %d: written by 'cairn install', removed by 'cairn uninstall'\n",
		 SHIM_MARKER, SHIM_VERSION);
	buf_addf(out, "# A hook that was here before runs first, kept as %s%s."
		      " See cairn-hooks(5).\n", name, SHIM_CHAINED_SUFFIX);
	if (in)
		buf_addf(out, "input=$(cat)\n");
	buf_addf(out, "rc=0\nchained=\"$(dirname \"$0\")/%s%s\"\n", name, SHIM_CHAINED_SUFFIX);
	buf_addf(out, "if [ -x \"$chained\" ]; then\n\t%s\"$chained\" \"$@\" || %s\nfi\n", feed,
		 pre ? "exit $?" : "rc=$?");
	buf_addf(out, "if ! command -v cairn >/dev/null 2>&1; then\n");
	if (strcmp(name, "pre-push") == 0)
		buf_addf(out, "\techo \"cairn: error: 'cairn' is not on PATH; the push is stopped so"
			      " that no pointer leaves without its data\" >&2\n"
			      "\techo \"cairn: hint: install cairn, or remove the hooks with"
			      " 'cairn uninstall'\" >&2\n\texit 1\n");
	else
		buf_addf(out, "\techo \"cairn: warning: 'cairn' is not on PATH; the %s hook did"
			      " nothing\" >&2\n\texit $rc\n", name);
	buf_addf(out, "fi\n");
	if (pre)
		buf_addf(out, "%sexec cairn hook %s \"$@\"\n", feed, name);
	else
		buf_addf(out, "%scairn hook %s \"$@\" || exit $?\nexit $rc\n", feed, name);
}

enum shim_state { SHIM_NONE, SHIM_OURS, SHIM_OTHER };

/* What is at dir/name: nothing, a cairn shim (*current: this version), or foreign. */
static const struct cairn_error *shim_state(enum shim_state *st, bool *current, int dfd,
					    const char *name, const char *dir)
{
	char head[4096];
	struct buf want = BUF_INIT;
	struct stat sb;
	ssize_t n;
	int fd;

	*current = false;
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return err_errno("stat '%s/%s'", dir, name);
		*st = SHIM_NONE;
		return NULL;
	}
	*st = SHIM_OTHER;
	if (!S_ISREG(sb.st_mode))
		return NULL;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_errno("open '%s/%s'", dir, name);
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < 0)
		return err_errno("read '%s/%s'", dir, name);
	head[n] = '\0';
	if (strncmp(head, "#!/bin/sh\n" SHIM_MARKER " ", 10 + strlen(SHIM_MARKER) + 1) != 0)
		return NULL;
	*st = SHIM_OURS;
	buf_init(&want);
	shim_text(&want, name);
	*current = (size_t)sb.st_size == want.len && (size_t)n == want.len &&
		   (sb.st_mode & 0777) == 0755 && memcmp(head, want.s, want.len) == 0;
	buf_release(&want);
	return NULL;
}

static const struct cairn_error *shim_write(int dfd, const char *name, const char *dir)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;

	buf_init(&b);
	shim_text(&b, name);
	e = fs_atomic_write_at(dfd, name, b.s, b.len, 0755);
	buf_release(&b);
	return e ? err_wrap(e, "install the %s hook in '%s'", name, dir) : NULL;
}

static const struct cairn_error *shim_install_one(int dfd, const char *dir, const char *name,
						  bool force, enum shim_action *act)
{
	const struct cairn_error *e;
	enum shim_state st, cst;
	char *chained = xasprintf("%s%s", name, SHIM_CHAINED_SUFFIX);
	bool current, dummy;

	if ((e = shim_state(&st, &current, dfd, name, dir)) != NULL ||
	    (e = shim_state(&cst, &dummy, dfd, chained, dir)) != NULL)
		goto done;
	if (st == SHIM_OURS && current) {
		*act = SHIM_UNCHANGED;
	} else if (st == SHIM_OURS || st == SHIM_NONE) {
		*act = st == SHIM_OURS ? SHIM_UPDATED : SHIM_WRITTEN;
		e = shim_write(dfd, name, dir);
	} else if (cst == SHIM_NONE) {
		*act = SHIM_CHAINED;
		if (renameat(dfd, name, dfd, chained) < 0) {
			e = err_errno("keep the existing %s hook as '%s/%s'", name, dir, chained);
			goto done;
		}
		if ((e = shim_write(dfd, name, dir)) != NULL)
			renameat(dfd, chained, dfd, name); /* put the user's hook back */
	} else if (force) {
		*act = SHIM_REPLACED;
		e = shim_write(dfd, name, dir);
	} else {
		e = err_new(CAIRN_ERR_EXISTS, "'%s/%s' is taken", dir, chained);
	}
done:
	free(chained);
	return e;
}

const struct cairn_error *shim_install(const char *dir, bool force, shim_report_cb cb,
				       void *arg)
{
	const struct cairn_error *e;
	enum shim_action act;
	int dfd, i;

	if ((e = fs_mkdirs(dir, 0777)) != NULL)
		return err_wrap(e, "create the hooks folder");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_errno("open the hooks folder '%s'", dir);
	/* refuse before changing anything */
	for (i = 0; shim_names[i] && !force; i++) {
		enum shim_state st, cst;
		char *chained = xasprintf("%s%s", shim_names[i], SHIM_CHAINED_SUFFIX);
		bool cur;

		e = shim_state(&st, &cur, dfd, shim_names[i], dir);
		if (e == NULL)
			e = shim_state(&cst, &cur, dfd, chained, dir);
		if (e == NULL && st == SHIM_OTHER && cst != SHIM_NONE)
			e = err_hint(err_new(CAIRN_ERR_EXISTS,
					     "the %s hook is not cairn's and '%s' is taken, so it "
					     "cannot be chained '%s/%s'",
					     shim_names[i], chained, dir, shim_names[i]),
				     "merge the two hooks by hand, or use --force to overwrite '%s'",
				     shim_names[i]);
		free(chained);
		if (e) {
			close(dfd);
			return e;
		}
	}
	for (i = 0; shim_names[i]; i++) {
		if ((e = shim_install_one(dfd, dir, shim_names[i], force, &act)) != NULL)
			break;
		if (cb)
			cb(shim_names[i], act, arg);
	}
	close(dfd);
	return e;
}

const struct cairn_error *shim_uninstall(const char *dir, shim_report_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	enum shim_state st, cst;
	int dfd, i;
	bool cur;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? NULL : err_errno("open the hooks folder '%s'", dir);
	for (i = 0; shim_names[i] && e == NULL; i++) {
		const char *name = shim_names[i];
		char *chained = xasprintf("%s%s", name, SHIM_CHAINED_SUFFIX);

		if ((e = shim_state(&st, &cur, dfd, name, dir)) == NULL &&
		    (e = shim_state(&cst, &cur, dfd, chained, dir)) == NULL) {
			if (st == SHIM_OTHER) {
				if (cb)
					cb(name, SHIM_FOREIGN, arg);
			} else if (st == SHIM_OURS) {
				if (unlinkat(dfd, name, 0) < 0) {
					e = err_errno("remove '%s/%s'", dir, name);
				} else if (cst != SHIM_NONE) {
					if (renameat(dfd, chained, dfd, name) < 0)
						e = err_errno("restore '%s/%s'", dir, chained);
					else if (cb)
						cb(name, SHIM_RESTORED, arg);
				} else if (cb) {
					cb(name, SHIM_REMOVED, arg);
				}
			}
		}
		free(chained);
	}
	if (e == NULL && fsync(dfd) < 0 && errno != EINVAL)
		e = err_errno("fsync '%s'", dir);
	close(dfd);
	return e;
}
