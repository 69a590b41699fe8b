/*
 * error.c: thread-local ring of error slots. An error is valid until eight
 * more errors have been made on the same thread, which is why callers return
 * or print an error at once.
 */
#include "buildconf.h"

#include "core/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define ERR_SLOTS 8

struct err_slot {
	struct cairn_error e;
	char msg[1024];
	char hint[256];
};

static _Thread_local struct err_slot err_ring[ERR_SLOTS];
static _Thread_local unsigned err_next;

static struct err_slot *err_slot_take(void)
{
	struct err_slot *s = &err_ring[err_next++ % ERR_SLOTS];
	s->e.msg = s->msg;
	s->e.hint = NULL;
	s->e.sys_errno = 0;
	s->hint[0] = '\0';
	return s;
}

const struct cairn_error *err_new(int code, const char *fmt, ...)
{
	struct err_slot *s = err_slot_take();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->e.code = code;
	return &s->e;
}

static const struct cairn_error *err_vsys(int errnum, const char *fmt, va_list ap)
{
	struct err_slot *s = err_slot_take();
	int n;

	n = vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(s->msg))
		snprintf(s->msg + n, sizeof(s->msg) - n, ": %s", strerror(errnum));
	s->e.code = errnum == ENOENT ? CAIRN_ERR_NOT_FOUND : CAIRN_ERR_ERRNO;
	s->e.sys_errno = errnum;
	return &s->e;
}

const struct cairn_error *err_errno(const char *fmt, ...)
{
	int errnum = errno;
	const struct cairn_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = err_vsys(errnum, fmt, ap);
	va_end(ap);
	return e;
}

const struct cairn_error *err_sys(int errnum, const char *fmt, ...)
{
	const struct cairn_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = err_vsys(errnum, fmt, ap);
	va_end(ap);
	return e;
}

const struct cairn_error *err_wrap(const struct cairn_error *e, const char *fmt, ...)
{
	struct err_slot *s;
	char ctx[512];
	va_list ap;

	if (e == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	s = err_slot_take();
	s->e.code = e->code;
	s->e.sys_errno = e->sys_errno;
	snprintf(s->msg, sizeof(s->msg), "%s: %s", ctx, e->msg);
	if (e->hint) {
		snprintf(s->hint, sizeof(s->hint), "%s", e->hint);
		s->e.hint = s->hint;
	}
	return &s->e;
}

const struct cairn_error *err_hint(const struct cairn_error *e, const char *fmt, ...)
{
	struct err_slot *s;
	va_list ap;

	if (e == NULL)
		return NULL;
	/* Errors always live in a slot of this thread's ring. */
	s = (struct err_slot *)(void *)((char *)e - offsetof(struct err_slot, e));
	va_start(ap, fmt);
	vsnprintf(s->hint, sizeof(s->hint), fmt, ap);
	va_end(ap);
	s->e.hint = s->hint;
	return e;
}

bool err_is(const struct cairn_error *e, int code)
{
	return e != NULL && e->code == code;
}

void err_save(struct err_copy *dst, const struct cairn_error *e)
{
	dst->code = e->code;
	dst->sys_errno = e->sys_errno;
	snprintf(dst->msg, sizeof(dst->msg), "%s", e->msg);
	snprintf(dst->hint, sizeof(dst->hint), "%s", e->hint ? e->hint : "");
}

const struct cairn_error *err_load(const struct err_copy *src)
{
	struct err_slot *s = err_slot_take();

	s->e.code = src->code;
	s->e.sys_errno = src->sys_errno;
	snprintf(s->msg, sizeof(s->msg), "%s", src->msg);
	if (src->hint[0]) {
		snprintf(s->hint, sizeof(s->hint), "%s", src->hint);
		s->e.hint = s->hint;
	}
	return &s->e;
}
