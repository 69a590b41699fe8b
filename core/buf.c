/*
 * buf.c: growable byte buffer.
 */
#include "buildconf.h"

#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

static char buf_empty[1];

void buf_init(struct buf *b)
{
	b->s = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->s);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	if (b->s == NULL)
		buf_init(b);
	b->len = 0;
	if (b->cap)
		b->s[0] = '\0';
}

static void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (b->s == NULL)
		buf_init(b);
	if (need <= b->cap)
		return;
	if (need < b->cap * 2)
		need = b->cap * 2;
	if (need < 64)
		need = 64;
	if (b->cap == 0) {
		b->s = xmalloc(need);
		b->s[0] = '\0';
	} else {
		b->s = xrealloc(b->s, need);
	}
	b->cap = need;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	if (n == 0) {
		if (b->s == NULL)
			buf_init(b);
		return;
	}
	buf_grow(b, n);
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *buf_detach(struct buf *b)
{
	char *s;

	if (b->cap == 0)
		s = xstrdup(b->len ? b->s : "");
	else
		s = b->s;
	buf_init(b);
	return s;
}
