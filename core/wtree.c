/*
 * wtree.c: temporary worktrees through the git client (git worktree add,
 * remove, prune), run with runner_capture; the folder is created by mkdtemp
 * first so two experiments never share one.
 */
#include "buildconf.h"

#include "core/wtree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/repo.h"
#include "core/runner.h"
#include "core/xmalloc.h"

char *wtree_main_root(struct repo *r)
{
	const char *common = git_repository_commondir(r->git);
	size_t n;
	char *c;

	if (!git_repository_is_worktree(r->git) || common == NULL)
		return xstrdup(r->root);
	c = xstrdup(common);
	n = strlen(c);
	while (n > 1 && c[n - 1] == '/')
		c[--n] = '\0';
	if (n > 5 && strcmp(c + n - 5, "/.git") == 0) {
		c[n - 5] = '\0';
		return c;
	}
	free(c);
	return xstrdup(r->root);
}

bool wtree_is_temporary(struct repo *r)
{
	char *main_root = wtree_main_root(r), *dir = xasprintf("%s/.cairn/tmp/wt", main_root);
	size_t n = strlen(dir);
	bool tmp = strncmp(r->root, dir, n) == 0 && r->root[n] == '/';

	free(dir);
	free(main_root);
	return tmp;
}

static const struct cairn_error *wtree_git(struct repo *r, char *const argv[])
{
	const struct cairn_error *e;
	struct buf out = BUF_INIT, err = BUF_INIT;
	char *root = wtree_main_root(r);
	int status;

	buf_init(&out);
	buf_init(&err);
	e = runner_capture(&out, &err, &status, argv, root);
	if (e == NULL && !runner_status_ok(status)) {
		char *nl = strchr(err.s, '\n');

		if (nl)
			*nl = '\0';
		e = err_new(CAIRN_ERR_GIT, "git %s %s failed: %s", argv[1], argv[2],
			    err.len ? err.s : "no message");
	}
	free(root);
	buf_release(&out);
	buf_release(&err);
	return e;
}

/* Copy a small file if the source exists and the target does not. */
static void wtree_copy_config(const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	struct stat st;

	if (lstat(to, &st) == 0)
		return;
	buf_init(&b);
	if (fs_read_file(&b, from, 1u << 20) == NULL)
		(void)fs_atomic_write(to, b.s, b.len, 0600);
	buf_release(&b);
}

const struct cairn_error *wtree_add(char **path, struct repo *r, const char *commit,
				    const char *name)
{
	const struct cairn_error *e;
	char *root = wtree_main_root(r), *base = xasprintf("%s/.cairn/tmp/wt", root);
	char *dir = xasprintf("%s/%s-XXXXXX", base, name), *cdir, *from, *to;
	char *argv[] = { (char *)"git", (char *)"worktree", (char *)"add", (char *)"--detach",
			 (char *)"--quiet", dir, (char *)commit, NULL };

	*path = NULL;
	if ((e = fs_mkdirs(base, 0777)) != NULL)
		goto done;
	if (mkdtemp(dir) == NULL) {
		e = err_errno("create '%s'", dir);
		goto done;
	}
	rmdir(dir); /* git worktree add wants to create it */
	if ((e = wtree_git(r, argv)) != NULL)
		goto done;
	cdir = fs_join(dir, ".cairn");
	e = fs_mkdirs(cdir, 0777);
	from = xasprintf("%s/.cairn/config", root);
	to = xasprintf("%s/config", cdir);
	wtree_copy_config(from, to);
	free(from);
	free(to);
	from = xasprintf("%s/.cairn/config.local", root);
	to = xasprintf("%s/config.local", cdir);
	wtree_copy_config(from, to);
	free(from);
	free(to);
	free(cdir);
	if (e == NULL) {
		*path = dir;
		dir = NULL;
	}
done:
	free(root);
	free(base);
	free(dir);
	return e;
}

const struct cairn_error *wtree_remove(struct repo *r, const char *path)
{
	char *argv[] = { (char *)"git", (char *)"worktree", (char *)"remove", (char *)"--force",
			 (char *)path, NULL };
	const struct cairn_error *e = wtree_git(r, argv);
	char *parent, *name;
	int fd;

	/* leftovers git would not remove (read-only cache copies, ignored files) */
	parent = fs_dirname(path);
	name = xstrdup(fs_basename(path));
	fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		/* gone is what matters: git's complaint about a half-made worktree is not */
		e = fs_remove_tree_at(fd, name);
		close(fd);
	}
	free(parent);
	free(name);
	wtree_prune(r);
	return e;
}

void wtree_prune(struct repo *r)
{
	char *argv[] = { (char *)"git", (char *)"worktree", (char *)"prune", NULL };

	(void)wtree_git(r, argv);
}
