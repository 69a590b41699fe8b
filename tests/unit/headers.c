/*
 * tests/unit/headers.c: every header of core/, cmd/ and remotes/ is
 * self-contained and guarded: each is compiled alone (twice in a row, so a
 * missing guard shows) in its own translation unit with the project's
 * compiler and warnings, as libgit2's headertest does. The list is read
 * from the source tree, so a new header is checked without editing this
 * file. This file itself includes them all together, which shows that
 * they agree with each other.
 */
#include "buildconf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "core/add.h"
#include "core/buf.h"
#include "core/cache.h"
#include "core/cacheuse.h"
#include "core/cachewalk.h"
#include "core/checkout.h"
#include "core/config.h"
#include "core/diff.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/fsck.h"
#include "core/fsutil.h"
#include "core/gc.h"
#include "core/gcroots.h"
#include "core/gcscope.h"
#include "core/gitutil.h"
#include "core/hash.h"
#include "core/ignore.h"
#include "core/link.h"
#include "core/lock.h"
#include "core/manifest.h"
#include "core/move.h"
#include "core/name.h"
#include "core/oid.h"
#include "core/oidset.h"
#include "core/otree.h"
#include "core/out.h"
#include "core/par.h"
#include "core/place.h"
#include "core/ptr.h"
#include "core/remove.h"
#include "core/repo.h"
#include "core/rev.h"
#include "core/revset.h"
#include "core/revwalk.h"
#include "core/scan.h"
#include "core/state.h"
#include "core/status.h"
#include "core/tempfile.h"
#include "core/tree.h"
#include "core/unprotect.h"
#include "core/work.h"
#include "core/xmalloc.h"
#include "hooks/hook.h"
#include "hooks/shim.h"
#include "remotes/gcremote.h"
#include "remotes/remote.h"
#include "tests/unit/tap.h"

#ifndef HEADERS_CC
#error "HEADERS_CC, HEADERS_CFLAGS and HEADERS_SRCDIR come from Makefile.am"
#endif

static int compile_alone(const char *tmpdir, const char *header)
{
	char src[4096], cmd[16384];
	FILE *f;

	snprintf(src, sizeof(src), "%s/alone.c", tmpdir);
	f = fopen(src, "w");
	if (f == NULL)
		bail("cannot write %s", src);
	fprintf(f, "#include \"%s\"\n#include \"%s\"\n"
		   "int headers_alone(void);\nint headers_alone(void) { return 0; }\n",
		header, header);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s %s -Werror -fsyntax-only '%s' 2>'%s/err'", HEADERS_CC,
		 HEADERS_CFLAGS, src, tmpdir);
	if (system(cmd) == 0)
		return 1;
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "sed 's/^/#   /' '%s/err' | head -n 20", tmpdir);
	if (system(cmd) != 0)
		diag("(no compiler output)");
	return 0;
}

static void test_headers__each_alone(void)
{
	static const char *const dirs[] = { "core", "cmd", "remotes", "hooks", NULL };
	char *tmp = tap_tmpdir();
	int i, found = 0;

	for (i = 0; dirs[i]; i++) {
		char path[4096];
		struct dirent **list;
		int n, k;

		snprintf(path, sizeof(path), "%s/%s", HEADERS_SRCDIR, dirs[i]);
		n = scandir(path, &list, NULL, alphasort);
		for (k = 0; k < n; k++) {
			size_t len = strlen(list[k]->d_name);

			if (len > 2 && strcmp(list[k]->d_name + len - 2, ".h") == 0) {
				char header[512];

				snprintf(header, sizeof(header), "%s/%s", dirs[i], list[k]->d_name);
				ok(compile_alone(tmp, header), "%s compiles alone, included twice",
				   header);
				found++;
			}
			free(list[k]);
		}
		if (n >= 0)
			free(list);
	}
	ok(found >= 30, "found the headers (%d)", found);
	tap_rmtree(tmp);
}

static void test_headers__together(void)
{
	struct buf b = BUF_INIT;

	buf_init(&b);
	buf_adds(&b, "all headers in one file");
	is_str(b.s, "all headers in one file", "every header can be included with the others");
	buf_release(&b);
}

int main(void)
{
	TAP_RUN(test_headers__each_alone);
	TAP_RUN(test_headers__together);
	return tap_done();
}
