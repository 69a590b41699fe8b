/*
 * move.c: the order keeps every interruption recoverable and never leaves
 * data unignored: the new .gitignore entry and pointer are written first,
 * then the data is renamed (one atomic rename on the same file system),
 * then the old pointer and entry go. State rows follow the data, so a moved
 * folder is not hashed again.
 */
#include "buildconf.h"

#include "core/move.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/ignore.h"
#include "core/name.h"
#include "core/out.h"
#include "core/ptr.h"
#include "core/repo.h"
#include "core/state.h"
#include "core/work.h"
#include "core/xmalloc.h"

#define MOVE_SUFFIX_LEN (sizeof(PTR_SUFFIX) - 1)

static bool move_exists(int rootfd, const char *rel, struct stat *st)
{
	return fstatat(rootfd, rel, st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Can rel be a tracked output? (the place only; it does not exist yet) */
static const struct cairn_error *move_check_place(struct work *w, const char *rel)
{
	const struct cairn_error *e = NULL;
	char *copy = xstrdup(rel), *comp, *save = NULL, *above = NULL;
	const char *why, *base = fs_basename(rel);
	size_t n = strlen(rel);
	bool first = true, tracked;

	for (comp = strtok_r(copy, "/", &save); comp && !e; comp = strtok_r(NULL, "/", &save)) {
		if (strcasecmp(comp, ".git") == 0 || (first && strcmp(comp, ".cairn") == 0))
			e = err_new(CAIRN_ERR_USAGE, "cannot move to '%s': it is inside '%s'", rel, comp);
		first = false;
	}
	free(copy);
	if (e)
		return e;
	if ((why = name_check(base)) != NULL || (strpbrk(base, "\n\r") && (why = "name contains a line break")))
		return err_new(CAIRN_ERR_USAGE, "cannot move to '%s': %s", rel, why);
	if (!name_utf8_valid(rel, n))
		return err_new(CAIRN_ERR_USAGE, "cannot move to '%s': path is not valid UTF-8", rel);
	if (n > MOVE_SUFFIX_LEN && strcmp(rel + n - MOVE_SUFFIX_LEN, PTR_SUFFIX) == 0)
		return err_new(CAIRN_ERR_USAGE, "cannot move to '%s': the name of a pointer file", rel);
	if ((e = out_tracked_above(&above, w->repo, rel)) != NULL)
		return e;
	if (above) {
		above[strlen(above) - MOVE_SUFFIX_LEN] = '\0';
		e = err_new(CAIRN_ERR_USAGE, "cannot move to '%s': it is inside tracked folder '%s'",
			    rel, above);
		free(above);
		return e;
	}
	if ((e = repo_git_tracked(&tracked, w->repo, rel)) != NULL)
		return e;
	if (tracked)
		return err_new(CAIRN_ERR_EXISTS, "cannot move to '%s': it is tracked by git", rel);
	return NULL;
}

const struct cairn_error *move_target(char **out, struct work *w, const struct out *o,
				      const char *dst_rel)
{
	const struct cairn_error *e;
	int rootfd = w->repo->rootfd;
	char *dst, *ptr;
	struct stat st;
	size_t n;

	*out = NULL;
	if (*dst_rel == '\0')
		return err_new(CAIRN_ERR_USAGE, "cannot move '%s' to the repository root", o->rel);
	dst = xstrdup(dst_rel);
	n = strlen(dst);
	/* "x.cairn" names the output x, as the source may (an output never ends so) */
	if (n > MOVE_SUFFIX_LEN && strcmp(dst + n - MOVE_SUFFIX_LEN, PTR_SUFFIX) == 0)
		dst[n - MOVE_SUFFIX_LEN] = '\0';
	ptr = xasprintf("%s%s", dst, PTR_SUFFIX);
	if (move_exists(rootfd, dst, &st) && S_ISDIR(st.st_mode) && !move_exists(rootfd, ptr, &st)) {
		char *into = fs_join(dst, o->name);

		free(dst);
		free(ptr);
		dst = into;
		ptr = xasprintf("%s%s", dst, PTR_SUFFIX);
	}
	e = NULL;
	if (strcmp(dst, o->rel) == 0)
		e = err_new(CAIRN_ERR_EXISTS, "'%s' is already there", o->rel);
	else if (strncmp(dst, o->rel, strlen(o->rel)) == 0 && dst[strlen(o->rel)] == '/')
		e = err_new(CAIRN_ERR_USAGE, "cannot move '%s' into itself ('%s')", o->rel, dst);
	else if (move_exists(rootfd, dst, &st))
		e = err_hint(err_new(CAIRN_ERR_EXISTS, "'%s' already exists", dst),
			     "move or remove it first; cairn move never overwrites");
	else if (move_exists(rootfd, ptr, &st))
		e = err_hint(err_new(CAIRN_ERR_EXISTS, "'%s' already exists", ptr),
			     "move or remove it first; cairn move never overwrites");
	else
		e = move_check_place(w, dst);
	free(ptr);
	if (e) {
		free(dst);
		return e;
	}
	*out = dst;
	return NULL;
}

const struct cairn_error *move_out(struct work *w, const struct out *o, const char *dst)
{
	const struct cairn_error *e;
	char *ddir = strchr(dst, '/') ? fs_dirname(dst) : xstrdup("");
	const char *dname = fs_basename(dst);
	char *dptr = xasprintf("%s%s", dname, PTR_SUFFIX), *oldpath;
	struct buf text = BUF_INIT;
	int sfd = -1, dfd = -1;
	struct stat st;

	buf_init(&text);
	if ((e = fs_open_dir_beneath(&sfd, w->repo->rootfd, o->dir, false)) != NULL)
		goto done;
	if ((e = fs_open_dir_beneath(&dfd, w->repo->rootfd, ddir, true)) != NULL)
		goto done;
	/* 1. the new place is ignored and has its pointer */
	if ((e = ignore_add(w->repo->rootfd, ddir, dname)) != NULL)
		goto done;
	oldpath = o->ptr->path;
	o->ptr->path = (char *)dname;
	e = ptr_format(&text, o->ptr);
	o->ptr->path = oldpath;
	if (e)
		goto done;
	if ((e = fs_atomic_write_at(dfd, dptr, text.s, text.len, 0644)) != NULL)
		goto done;
	/* 2. the data (it may be absent: a pointer whose data was never checked out) */
	if (fstatat(sfd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (renameat2(sfd, o->name, dfd, dname, RENAME_NOREPLACE) < 0 &&
		    (errno != EINVAL || renameat(sfd, o->name, dfd, dname) < 0)) {
			e = err_errno("move '%s' to '%s'", o->rel, dst);
			unlinkat(dfd, dptr, 0);
			ignore_remove(w->repo->rootfd, ddir, dname);
			goto done;
		}
		state_move(w->state, o->rel, dst);
	}
	/* 3. the old pointer and entry go */
	if (unlinkat(sfd, fs_basename(o->ptr_rel), 0) < 0 && errno != ENOENT) {
		e = err_errno("remove '%s'", o->ptr_rel);
		goto done;
	}
	if (fsync(sfd) < 0 && errno != EINVAL) {
		e = err_errno("sync folder of '%s'", o->ptr_rel);
		goto done;
	}
	e = ignore_remove(w->repo->rootfd, o->dir, o->name);
done:
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	buf_release(&text);
	free(dptr);
	free(ddir);
	return e;
}
