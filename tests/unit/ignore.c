/*
 * tests/unit/ignore.c: .gitignore entries for tracked outputs: escaping of
 * every character gitignore treats specially (checked against git
 * check-ignore itself), idempotent adds, removal, CRLF files, and a
 * symlinked .gitignore refused.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/ignore.h"
#include "tests/unit/tap.h"

static char *dir;
static int rootfd;

static int sh_ok(const char *cmd)
{
	char full[8192];

	snprintf(full, sizeof(full), "cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);
	return system(full) == 0;
}

static char *slurp(const char *rel)
{
	struct buf b = BUF_INIT;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	buf_init(&b);
	if (fs_read_file(&b, path, 1 << 20) != NULL) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void test_ignore__line(void)
{
	static const struct {
		const char *name, *line;
	} v[] = {
		{ "data", "/data" },
		{ "a b.txt", "/a b.txt" },
		{ "star*.dat", "/star\\*.dat" },
		{ "q?.bin", "/q\\?.bin" },
		{ "55MiB[1].test", "/55MiB\\[1\\].test" },
		{ "back\\slash", "/back\\\\slash" },
		{ "!bang", "/\\!bang" },
		{ "#Files", "/\\#Files" },
		{ "a!b#c", "/a!b#c" },
		{ "trail  ", "/trail\\ \\ " },
		{ " lead", "/ lead" },
		{ "x=y:0%+", "/x=y:0%+" },
		{ "\xc3\xbcn\xc3\xaf", "/\xc3\xbcn\xc3\xaf" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *line = ignore_line(v[i].name);

		is_str(line, v[i].line, v[i].name);
		free(line);
	}
}

/* Does git ignore exactly name among a set of look-alike files? */
static void check_with_git(const char *name, const char *const *others)
{
	char cmd[4096];
	int i;

	if (!sh_ok("rm -rf g && git init -q g"))
		bail("git init");
	close(rootfd);
	snprintf(cmd, sizeof(cmd), "%s/g", dir);
	rootfd = open(cmd, O_RDONLY | O_DIRECTORY);
	ok_noerr(ignore_add(rootfd, "", name), "add the entry");
	snprintf(cmd, sizeof(cmd), "cd g && git check-ignore -q --no-index -- '%s'", name);
	ok(sh_ok(cmd), "git ignores '%s'", name);
	for (i = 0; others[i]; i++) {
		snprintf(cmd, sizeof(cmd), "cd g && ! git check-ignore -q --no-index -- '%s'",
			 others[i]);
		ok(sh_ok(cmd), "but not '%s'", others[i]);
	}
}

static void test_ignore__matches_only_itself(void)
{
	static const char *const o1[] = { "55MiB1.test", "55MiB.test", "sub/55MiB[1].test", NULL };
	static const char *const o2[] = { "starX.dat", "star.dat", NULL };
	static const char *const o3[] = { "qX.bin", "q.bin", NULL };
	static const char *const o4[] = { "trail", "trail ", NULL };
	static const char *const o5[] = { "bang", "x!bang", NULL };
	static const char *const o6[] = { "Files", NULL };

	check_with_git("55MiB[1].test", o1);
	check_with_git("star*.dat", o2);
	check_with_git("q?.bin", o3);
	check_with_git("trail  ", o4);
	check_with_git("!bang", o5);
	check_with_git("#Files", o6);
}

static void test_ignore__add_remove(void)
{
	char *s;

	sh_ok("rm -rf w && mkdir -p w/sub");
	close(rootfd);
	rootfd = open("w", O_RDONLY | O_DIRECTORY);
	ok_noerr(ignore_add(rootfd, "sub", "a"), "add a");
	ok_noerr(ignore_add(rootfd, "sub", "a"), "add a again");
	ok_noerr(ignore_add(rootfd, "sub", "b"), "add b");
	s = slurp("w/sub/.gitignore");
	is_str(s, "/a\n/b\n", "each line once, in the pointer's folder");
	free(s);
	ok_noerr(ignore_remove(rootfd, "sub", "a"), "remove a");
	s = slurp("w/sub/.gitignore");
	is_str(s, "/b\n", "only b is left");
	free(s);
	ok_noerr(ignore_remove(rootfd, "sub", "zzz"), "removing a missing line is fine");
	ok_noerr(ignore_remove(rootfd, "sub", "b"), "remove b");
	ok(sh_ok("test ! -e w/sub/.gitignore"), "an emptied .gitignore is removed");
	ok_noerr(ignore_remove(rootfd, "nowhere", "b"), "a missing folder is fine");

	sh_ok("printf '# mine\\r\\n/a\\r\\n*.tmp' >w/.gitignore");
	ok_noerr(ignore_add(rootfd, "", "a"), "a CRLF line counts as present");
	ok_noerr(ignore_add(rootfd, "", "c"), "add c to a file without a final newline");
	s = slurp("w/.gitignore");
	is_str(s, "# mine\r\n/a\r\n*.tmp\n/c\n", "the user's lines are kept as they were");
	free(s);
	ok_noerr(ignore_remove(rootfd, "", "a"), "remove a CRLF line");
	s = slurp("w/.gitignore");
	is_str(s, "# mine\r\n*.tmp\n/c\n", "only that line went");
	free(s);
}

static void test_ignore__symlink_refused(void)
{
	const struct cairn_error *e;

	sh_ok("mkdir -p w/l outside && echo keep >outside/gi && ln -s ../../outside/gi w/l/.gitignore");
	e = ignore_add(rootfd, "l", "x");
	ok(e && strstr(e->msg, "symlink"), "a symlinked .gitignore is refused");
	ok(sh_ok("grep -qx keep outside/gi"), "its target is untouched");
	sh_ok("ln -s ../outside w/dirlink");
	ok(ignore_add(rootfd, "dirlink", "x") != NULL, "a symlinked folder is refused");
	ok(sh_ok("test ! -e outside/.gitignore"), "nothing was written through it");
}

int main(void)
{
	dir = tap_tmpdir();
	if (chdir(dir) < 0)
		bail("chdir");
	rootfd = open(".", O_RDONLY | O_DIRECTORY);
	TAP_RUN(test_ignore__line);
	TAP_RUN(test_ignore__matches_only_itself);
	TAP_RUN(test_ignore__add_remove);
	TAP_RUN(test_ignore__symlink_refused);
	close(rootfd);
	if (chdir("/") < 0)
		bail("chdir");
	tap_rmtree(dir);
	return tap_done();
}
