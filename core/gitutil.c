/*
 * gitutil.c: libgit2 setup and error adapter.
 */
#include "buildconf.h"

#include "core/gitutil.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include <git2.h>

static pthread_once_t gitutil_once = PTHREAD_ONCE_INIT;

static void gitutil_do_init(void)
{
	git_libgit2_init();
	/* cairn reads objects it did not write; libgit2 verifies them */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
}

void gitutil_init(void)
{
	pthread_once(&gitutil_once, gitutil_do_init);
}

static const struct cairn_error *err_git_v(int code, const char *fmt, va_list ap)
{
	const git_error *ge = git_error_last();
	char ctx[512];
	int ecode = CAIRN_ERR_GIT;

	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	if (code == GIT_ENOTFOUND)
		ecode = CAIRN_ERR_NOT_FOUND;
	else if (code == GIT_ELOCKED)
		ecode = CAIRN_ERR_LOCKED;
	return err_new(ecode, "%s: %s", ctx, ge && ge->message ? ge->message : "libgit2 error");
}

const struct cairn_error *err_git(const char *fmt, ...)
{
	const struct cairn_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = err_git_v(0, fmt, ap);
	va_end(ap);
	return e;
}

const struct cairn_error *err_git_code(int code, const char *fmt, ...)
{
	const struct cairn_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = err_git_v(code, fmt, ap);
	va_end(ap);
	return e;
}
