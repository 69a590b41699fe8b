/*
 * tests/unit/error.c: the error type: codes, errno mapping, wrapping keeps
 * the code and hint, hints, the thread-local ring, and copies across
 * threads.
 */
#include "buildconf.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "core/error.h"
#include "tests/unit/tap.h"

static void test_error__new_and_is(void)
{
	const struct cairn_error *e = err_new(CAIRN_ERR_FORMAT, "bad %s at %d", "thing", 3);

	is_str(e->msg, "bad thing at 3", "the message is formatted");
	ok(err_is(e, CAIRN_ERR_FORMAT) && !err_is(e, CAIRN_ERR_CORRUPT), "err_is checks the code");
	ok(!err_is(NULL, CAIRN_ERR_FORMAT), "NULL is no error");
	ok(e->hint == NULL && e->sys_errno == 0, "no hint, no errno");
}

static void test_error__errno(void)
{
	const struct cairn_error *e;

	errno = ENOENT;
	e = err_errno("open '%s'", "x");
	is_str(e->msg, "open 'x': No such file or directory", "strerror is appended");
	ok(e->code == CAIRN_ERR_NOT_FOUND && e->sys_errno == ENOENT, "ENOENT maps to NOT_FOUND");
	e = err_sys(EACCES, "write");
	ok(e->code == CAIRN_ERR_ERRNO && e->sys_errno == EACCES, "other errnos are ERRNO");
	ok(strstr(e->msg, "Permission denied") != NULL, "with their text");
}

static void test_error__wrap_and_hint(void)
{
	const struct cairn_error *e = err_hint(err_new(CAIRN_ERR_CORRUPT, "object x"), "run %s",
					       "fsck");
	const struct cairn_error *w;

	is_str(e->hint, "run fsck", "a hint is attached");
	w = err_wrap(e, "checkout '%s'", "f");
	is_str(w->msg, "checkout 'f': object x", "wrap prefixes context");
	ok(w->code == CAIRN_ERR_CORRUPT, "and keeps the code");
	is_str(w->hint, "run fsck", "and the hint");
	ok(err_wrap(NULL, "x") == NULL, "wrapping NULL stays NULL");
	ok(err_hint(NULL, "x") == NULL, "a hint on NULL stays NULL");
}

static void test_error__long_message(void)
{
	char big[3000];
	const struct cairn_error *e;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e = err_new(CAIRN_ERR_FAILED, "%s", big);
	ok(strlen(e->msg) == 1023, "a long message is truncated to its slot, not overflowed");
	e = err_wrap(e, "%s", big);
	ok(strlen(e->msg) < 1024, "so is a long wrap");
}

static void test_error__ring(void)
{
	const struct cairn_error *first = err_new(CAIRN_ERR_FAILED, "first"), *e = NULL;
	int i;

	for (i = 0; i < 7; i++)
		e = err_new(CAIRN_ERR_FAILED, "more %d", i);
	is_str(first->msg, "first", "an error survives seven more");
	ok(e != first, "each error has its own slot");
}

static void *error_thread(void *arg)
{
	struct err_copy *copy = arg;

	err_save(copy, err_hint(err_new(CAIRN_ERR_REMOTE, "from a thread"), "retry"));
	return NULL;
}

static void test_error__across_threads(void)
{
	struct err_copy copy;
	const struct cairn_error *e;
	pthread_t t;

	ok(pthread_create(&t, NULL, error_thread, &copy) == 0 && pthread_join(t, NULL) == 0,
	   "a thread saves an error");
	e = err_load(&copy);
	ok(e->code == CAIRN_ERR_REMOTE, "the code crosses");
	is_str(e->msg, "from a thread", "the message crosses");
	is_str(e->hint, "retry", "the hint crosses");
}

int main(void)
{
	TAP_RUN(test_error__new_and_is);
	TAP_RUN(test_error__errno);
	TAP_RUN(test_error__wrap_and_hint);
	TAP_RUN(test_error__long_message);
	TAP_RUN(test_error__ring);
	TAP_RUN(test_error__across_threads);
	return tap_done();
}
