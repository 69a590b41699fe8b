/*
 * ignore.c: exact-match .gitignore entries for tracked outputs.
 */
#include "buildconf.h"

#include "core/ignore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/xmalloc.h"

#define IGNORE_MAX_BYTES (16u << 20)

char *ignore_line(const char *name)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(name), i, trail = n;

	while (trail > 0 && name[trail - 1] == ' ')
		trail--;
	buf_init(&b);
	buf_addch(&b, '/');
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (strchr("*?[]\\", c) || (i == 0 && (c == '!' || c == '#')) || i >= trail)
			buf_addch(&b, '\\');
		buf_addch(&b, c);
	}
	return buf_detach(&b);
}

static const struct cairn_error *ignore_read(struct buf *b, bool *exists, int dirfd)
{
	const struct cairn_error *e;
	int fd = openat(dirfd, ".gitignore", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	*exists = false;
	if (fd < 0) {
		if (errno == ENOENT)
			return NULL;
		if (errno == ELOOP)
			return err_new(CAIRN_ERR_FAILED, "refusing to edit a .gitignore that is a symlink");
		return err_errno("open .gitignore");
	}
	*exists = true;
	e = fs_read_fd(b, fd, IGNORE_MAX_BYTES, ".gitignore");
	close(fd);
	return e;
}

/* Does text hold line as a whole line? */
static bool ignore_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0' ||
						     (p[n] == '\r' && p[n + 1] == '\n')))
			return true;
		p += n;
	}
	return false;
}

const struct cairn_error *ignore_add(int rootfd, const char *dir, const char *name)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;
	char *line = ignore_line(name);
	bool exists;
	int dfd;

	if ((e = fs_open_dir_beneath(&dfd, rootfd, dir, false)) != NULL) {
		free(line);
		return e;
	}
	buf_init(&b);
	if ((e = ignore_read(&b, &exists, dfd)) == NULL && !ignore_has_line(b.s, line)) {
		if (b.len > 0 && b.s[b.len - 1] != '\n')
			buf_addch(&b, '\n');
		buf_adds(&b, line);
		buf_addch(&b, '\n');
		e = fs_atomic_write_at(dfd, ".gitignore", b.s, b.len, 0644);
	}
	if (e)
		e = err_wrap(e, "update '%s%s.gitignore'", dir, *dir ? "/" : "");
	buf_release(&b);
	free(line);
	close(dfd);
	return e;
}

const struct cairn_error *ignore_remove(int rootfd, const char *dir, const char *name)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT, out = BUF_INIT;
	char *line = ignore_line(name);
	const char *p;
	bool exists, changed = false;
	int dfd;

	if ((e = fs_open_dir_beneath(&dfd, rootfd, dir, false)) != NULL) {
		free(line);
		return err_is(e, CAIRN_ERR_NOT_FOUND) ? NULL : e;
	}
	buf_init(&b);
	buf_init(&out);
	if ((e = ignore_read(&b, &exists, dfd)) != NULL || !exists)
		goto done;
	for (p = b.s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p), cmp = n;

		if (cmp > 0 && p[cmp - 1] == '\r')
			cmp--;
		if (cmp == strlen(line) && strncmp(p, line, cmp) == 0)
			changed = true;
		else
			buf_add(&out, p, nl ? n + 1 : n);
		p += nl ? n + 1 : n;
	}
	if (!changed)
		goto done;
	if (out.len == 0) {
		if (unlinkat(dfd, ".gitignore", 0) < 0)
			e = err_errno("remove .gitignore");
	} else {
		e = fs_atomic_write_at(dfd, ".gitignore", out.s, out.len, 0644);
	}
done:
	buf_release(&b);
	buf_release(&out);
	free(line);
	close(dfd);
	return e;
}
