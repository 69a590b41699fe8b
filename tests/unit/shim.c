/*
 * tests/unit/shim.c: the hook shims: their text (POSIX sh that parses, the
 * marker on line 2, fail-closed only where documented), install into a
 * missing folder, idempotence and upgrades, chaining, the refusal that
 * changes nothing, --force, symlinks moved not followed, and uninstall
 * removing only marked files.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/xmalloc.h"
#include "hooks/shim.h"
#include "tests/unit/tap.h"

static char *dir;

static char *path_of(const char *name)
{
	return xasprintf("%s/hooks/%s", dir, name);
}

static void put(const char *name, const char *text)
{
	char *p = path_of(name);

	if (fs_atomic_write(p, text, strlen(text), 0755) != NULL)
		bail("write %s", p);
	free(p);
}

static char *get(const char *name)
{
	struct buf b = BUF_INIT;
	char *p = path_of(name);

	buf_init(&b);
	if (fs_read_file(&b, p, 1 << 20) != NULL) {
		buf_release(&b);
		free(p);
		return NULL;
	}
	free(p);
	return buf_detach(&b);
}

static bool exists(const char *name)
{
	struct stat st;
	char *p = path_of(name);
	bool yes = lstat(p, &st) == 0;

	free(p);
	return yes;
}

static int count;
static enum shim_action last[8];

static void on_action(const char *name, enum shim_action a, void *arg)
{
	(void)arg;
	(void)name;
	if (count < 8)
		last[count] = a;
	count++;
}

static void test_shim__text(void)
{
	int i;

	for (i = 0; shim_names[i]; i++) {
		struct buf b = BUF_INIT;
		char *file = xasprintf("%s/shim-%s", dir, shim_names[i]), *cmd;
		const char *nl;

		buf_init(&b);
		shim_text(&b, shim_names[i]);
		ok(strncmp(b.s, "#!/bin/sh\n" SHIM_MARKER " ", 10 + strlen(SHIM_MARKER) + 1) == 0,
		   "%s: the marker is line 2", shim_names[i]);
		nl = strstr(b.s, "cairn hook ");
		ok(nl && strncmp(nl + 11, shim_names[i], strlen(shim_names[i])) == 0,
		   "%s: hands off to cairn hook %s", shim_names[i], shim_names[i]);
		ok(strstr(b.s, "\"$@\"") != NULL, "%s: passes the arguments on", shim_names[i]);
		if (strcmp(shim_names[i], "pre-push") == 0)
			ok(strstr(b.s, "exit 1") != NULL && strstr(b.s, "input=$(cat)") != NULL,
			   "pre-push: fails closed without cairn, passes its input on");
		else
			ok(strstr(b.s, "exit 1") == NULL, "%s: never fails closed", shim_names[i]);
		if (fs_atomic_write(file, b.s, b.len, 0755) != NULL)
			bail("write");
		cmd = xasprintf("sh -n '%s'", file);
		is_int(system(cmd), 0, "the shim is valid sh");
		free(cmd);
		free(file);
		buf_release(&b);
	}
	ok(shim_known("post-merge") && shim_known("pre-push") && !shim_known("pre-rebase") &&
		   !shim_known(""),
	   "shim_known knows exactly the installed hooks");
}

static void test_shim__install(void)
{
	char *hooks = xasprintf("%s/hooks", dir), *text, *p;
	struct stat st;

	count = 0;
	ok_noerr(shim_install(hooks, false, on_action, NULL), "install into a missing folder");
	is_int(count, 5, "one report per hook");
	is_int(last[0], SHIM_WRITTEN, "a new shim");
	p = path_of("pre-commit");
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0755, "mode 0755");
	free(p);
	count = 0;
	ok_noerr(shim_install(hooks, false, on_action, NULL), "install again");
	is_int(last[0], SHIM_UNCHANGED, "nothing to do");
	/* an older shim of ours */
	put("post-merge", "#!/bin/sh\n" SHIM_MARKER " 0: old\ncairn hook post-merge\n");
	count = 0;
	ok_noerr(shim_install(hooks, false, on_action, NULL), "upgrade");
	is_int(last[3], SHIM_UPDATED, "an old shim is rewritten");
	text = get("post-merge");
	ok(text && strstr(text, SHIM_MARKER " 1:") != NULL, "to the current version");
	free(text);
	/* uninstall */
	count = 0;
	ok_noerr(shim_uninstall(hooks, on_action, NULL), "uninstall");
	is_int(count, 5, "every shim reported");
	is_int(last[0], SHIM_REMOVED, "removed");
	ok(!exists("pre-commit") && !exists("post-rewrite"), "the files are gone");
	ok_noerr(shim_uninstall(hooks, on_action, NULL), "uninstall with nothing to do");
	free(hooks);
}

static void test_shim__foreign(void)
{
	char *hooks = xasprintf("%s/hooks", dir), *text;

	put("pre-commit", "#!/bin/sh\necho mine\n");
	/* a marker-like line that is not line 2 is still foreign */
	put("post-merge", "#!/bin/sh\n# hello\n" SHIM_MARKER " 1\n");
	count = 0;
	ok_noerr(shim_install(hooks, false, on_action, NULL), "install over foreign hooks");
	is_int(last[0], SHIM_CHAINED, "pre-commit chained");
	is_int(last[3], SHIM_CHAINED, "a marker in the wrong place is foreign");
	text = get("pre-commit.pre-cairn");
	is_str(text, "#!/bin/sh\necho mine\n", "the user's hook is kept byte for byte");
	free(text);
	/* a second foreign hook cannot be chained */
	put("pre-commit", "#!/bin/sh\necho second\n");
	put("post-checkout", "#!/bin/sh\necho other\n");
	is_err(shim_install(hooks, false, NULL, NULL), CAIRN_ERR_EXISTS,
	       "refused when NAME.pre-cairn is taken");
	text = get("post-checkout");
	is_str(text, "#!/bin/sh\necho other\n", "nothing changed before the refusal");
	free(text);
	ok(!exists("post-checkout.pre-cairn"), "not even the hooks checked first");
	count = 0;
	ok_noerr(shim_install(hooks, true, on_action, NULL), "--force");
	is_int(last[0], SHIM_REPLACED, "pre-commit overwritten");
	is_int(last[2], SHIM_CHAINED, "post-checkout still chained");
	/* uninstall: shims go, chained hooks come back, foreign ones stay */
	put("post-rewrite", "#!/bin/sh\nforeign\n");
	count = 0;
	ok_noerr(shim_uninstall(hooks, on_action, NULL), "uninstall");
	is_int(last[0], SHIM_RESTORED, "pre-commit.pre-cairn moved back");
	is_int(last[4], SHIM_FOREIGN, "a foreign hook is left");
	text = get("pre-commit");
	is_str(text, "#!/bin/sh\necho mine\n", "the kept hook is back");
	free(text);
	text = get("post-rewrite");
	is_str(text, "#!/bin/sh\nforeign\n", "the foreign hook is untouched");
	free(text);
	free(hooks);
}

static void test_shim__symlink(void)
{
	char *hooks = xasprintf("%s/hooks", dir), *target = xasprintf("%s/target", dir);
	char *link = path_of("post-merge"), buf[256];
	struct stat st;
	ssize_t n;

	if (fs_atomic_write(target, "#!/bin/sh\n", 10, 0755) != NULL)
		bail("write");
	unlink(link);
	if (symlink(target, link) != 0)
		bail("symlink");
	ok_noerr(shim_install(hooks, false, NULL, NULL), "install over a symlinked hook");
	free(link);
	link = path_of("post-merge.pre-cairn");
	n = readlink(link, buf, sizeof(buf) - 1);
	ok(n > 0 && (size_t)n == strlen(target) && memcmp(buf, target, (size_t)n) == 0,
	   "the link itself was moved aside");
	ok(stat(target, &st) == 0 && st.st_size == 10, "its target was not written through");
	free(link);
	free(target);
	free(hooks);
}

int main(void)
{
	dir = tap_tmpdir();
	TAP_RUN(test_shim__text);
	TAP_RUN(test_shim__install);
	TAP_RUN(test_shim__foreign);
	TAP_RUN(test_shim__symlink);
	tap_rmtree(dir);
	return tap_done();
}
