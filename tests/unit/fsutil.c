/*
 * tests/unit/fsutil.c: file system helpers: folders opened beneath a root
 * without following symlinks, atomic writes that replace a symlink rather
 * than write through it and leave no temp file, tree removal that never
 * follows a symlink, copies, reads with a size limit, path helpers.
 */
#include "buildconf.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "tests/unit/tap.h"

static char *dir;
static int rootfd;

static void sh(const char *cmd)
{
	char full[8192];

	snprintf(full, sizeof(full), "cd '%s' && (%s)", dir, cmd);
	if (system(full) != 0)
		bail("setup failed: %s", cmd);
}

static int sh_ok(const char *cmd)
{
	char full[8192];

	snprintf(full, sizeof(full), "cd '%s' && (%s)", dir, cmd);
	return system(full) == 0;
}

static void test_fsutil__open_dir_beneath(void)
{
	const struct cairn_error *e;
	int fd = -1;

	sh("mkdir -p root/a/b outside && ln -s ../outside root/link && ln -s b root/a/blink && "
	   "echo x >root/file");
	rootfd = open("root", O_RDONLY | O_DIRECTORY);
	ok_noerr(fs_open_dir_beneath(&fd, rootfd, "a/b", false), "open a/b");
	if (fd >= 0)
		close(fd);
	ok_noerr(fs_open_dir_beneath(&fd, rootfd, "", false), "\"\" is the root itself");
	if (fd >= 0)
		close(fd);
	ok_noerr(fs_open_dir_beneath(&fd, rootfd, "./a//b/", false), "'.' and '//' are fine");
	if (fd >= 0)
		close(fd);
	e = fs_open_dir_beneath(&fd, rootfd, "link", false);
	ok(e && e->code == CAIRN_ERR_FAILED && strstr(e->msg, "symlink 'link'"),
	   "a symlinked folder is refused, by name");
	e = fs_open_dir_beneath(&fd, rootfd, "a/blink", true);
	ok(e && strstr(e->msg, "symlink 'blink'"), "also deeper, and also with create");
	e = fs_open_dir_beneath(&fd, rootfd, "link/new", true);
	ok(e != NULL && !sh_ok("test -e outside/new"), "create never makes a folder through a symlink");
	is_err(fs_open_dir_beneath(&fd, rootfd, "file/x", false), CAIRN_ERR_EXISTS,
	       "a file on the way is EXISTS");
	is_err(fs_open_dir_beneath(&fd, rootfd, "missing/x", false), CAIRN_ERR_NOT_FOUND,
	       "a missing folder is NOT_FOUND");
	e = fs_open_dir_beneath(&fd, rootfd, "a/../../outside", false);
	ok(e && strstr(e->msg, "'..'"), "'..' is refused");
	ok_noerr(fs_open_dir_beneath(&fd, rootfd, "new/deeper", true), "create makes folders");
	if (fd >= 0)
		close(fd);
	ok(sh_ok("test -d root/new/deeper"), "they exist");
}

static void test_fsutil__atomic_write(void)
{
	struct buf b = BUF_INIT;
	struct stat st;

	ok_noerr(fs_atomic_write_at(rootfd, "f.txt", "hello\n", 6, 0644), "write a new file");
	buf_init(&b);
	ok_noerr(fs_read_file(&b, "root/f.txt", 100), "read it");
	is_str(b.s, "hello\n", "its content");
	ok(stat("root/f.txt", &st) == 0 && (st.st_mode & 0777) == 0644, "its mode");
	ok_noerr(fs_atomic_write_at(rootfd, "f.txt", "bye\n", 4, 0600), "replace it");
	buf_reset(&b);
	fs_read_file(&b, "root/f.txt", 100);
	is_str(b.s, "bye\n", "the new content");
	sh("echo secret >outside/target && ln -s ../outside/target root/victim");
	ok_noerr(fs_atomic_write_at(rootfd, "victim", "mine\n", 5, 0644),
		 "write over a symlink");
	ok(sh_ok("test ! -L root/victim && grep -qx mine root/victim"),
	   "the symlink itself was replaced by a file");
	ok(sh_ok("grep -qx secret outside/target"), "its target was not written");
	ok(sh_ok("! ls -a root | grep -q cairn-tmp"), "no temp file is left");
	ok_noerr(fs_atomic_write("root/g.txt", "g", 1, 0644), "fs_atomic_write by path");
	sh("mkdir ro && chmod 555 ro");
	if (geteuid() != 0) {
		ok(fs_atomic_write("ro/x", "x", 1, 0644) != NULL, "a read-only folder is an error");
		ok(sh_ok("test -z \"$(ls -A ro)\""), "and leaves nothing behind");
	} else {
		ok(1, "a read-only folder is an error # SKIP root ignores folder permissions");
	}
	buf_release(&b);
}

static void test_fsutil__read_limits(void)
{
	struct buf b = BUF_INIT;

	buf_init(&b);
	is_err(fs_read_file(&b, "root/f.txt", 2), CAIRN_ERR_FORMAT, "a file over max is refused");
	buf_reset(&b);
	is_err(fs_read_file(&b, "root/none", 2), CAIRN_ERR_NOT_FOUND, "a missing file");
	buf_release(&b);
}

static void test_fsutil__remove_tree(void)
{
	sh("mkdir -p root/t/sub && echo 1 >root/t/sub/f && echo keep >outside/keep && "
	   "ln -s ../../outside root/t/out && chmod 555 root/t/sub");
	ok_noerr(fs_remove_tree_at(rootfd, "t"), "remove a tree holding a symlink to a folder");
	ok(sh_ok("test ! -e root/t"), "it is gone");
	ok(sh_ok("grep -qx keep outside/keep"), "what the symlink pointed to is untouched");
	ok_noerr(fs_remove_tree_at(rootfd, "t"), "removing what is missing is fine");
	ok_noerr(fs_remove_tree_at(rootfd, "g.txt"), "a file is removed too");
}

static void test_fsutil__copy(void)
{
	int src = open("root/f.txt", O_RDONLY), dst = open("root/copy", O_WRONLY | O_CREAT, 0644);
	struct buf b = BUF_INIT;

	ok_noerr(fs_copy_fd(dst, src, 4), "copy 4 bytes");
	close(dst);
	lseek(src, 0, SEEK_SET);
	dst = open("root/copy2", O_WRONLY | O_CREAT, 0644);
	is_err(fs_copy_fd(dst, src, 10), CAIRN_ERR_CORRUPT, "a source shorter than said");
	close(dst);
	close(src);
	buf_init(&b);
	fs_read_file(&b, "root/copy", 100);
	is_str(b.s, "bye\n", "the copy");
	buf_release(&b);
}

static void test_fsutil__paths(void)
{
	char *s;

	s = fs_join("a", "b");
	is_str(s, "a/b", "join");
	free(s);
	s = fs_join("", "b");
	is_str(s, "b", "join with an empty first part");
	free(s);
	s = fs_join("a/", "b");
	is_str(s, "a/b", "join without a double slash");
	free(s);
	s = fs_join("a", "");
	is_str(s, "a", "join with an empty second part");
	free(s);
	s = fs_dirname("a/b/c");
	is_str(s, "a/b", "dirname");
	free(s);
	s = fs_dirname("c");
	is_str(s, ".", "dirname of a bare name");
	free(s);
	s = fs_dirname("/c");
	is_str(s, "/", "dirname at the root");
	free(s);
	is_str(fs_basename("a/b/c"), "c", "basename");
	is_str(fs_basename("c"), "c", "basename of a bare name");
	ok_noerr(fs_mkdirs("root/m/n/o", 0777), "mkdirs");
	ok_noerr(fs_mkdirs("root/m/n/o", 0777), "mkdirs again is fine");
	ok(sh_ok("test -d root/m/n/o"), "the folders exist");
	ok(fs_now_ns() > 1600000000LL * 1000000000LL, "fs_now_ns is wall-clock nanoseconds");
}

int main(void)
{
	dir = tap_tmpdir();
	if (chdir(dir) < 0)
		bail("chdir");
	TAP_RUN(test_fsutil__open_dir_beneath);
	TAP_RUN(test_fsutil__atomic_write);
	TAP_RUN(test_fsutil__read_limits);
	TAP_RUN(test_fsutil__remove_tree);
	TAP_RUN(test_fsutil__copy);
	TAP_RUN(test_fsutil__paths);
	close(rootfd);
	sh("chmod -R u+w .");
	if (chdir("/") < 0)
		bail("chdir");
	tap_rmtree(dir);
	return tap_done();
}
