/*
 * buf.h: a growable, always NUL-terminated byte buffer (git's strbuf idea).
 * Not thread-safe per buffer.
 */
#ifndef CAIRN_CORE_BUF_H
#define CAIRN_CORE_BUF_H

#include <stddef.h>

#include "core/error.h"

struct buf {
	char *s;    /* NUL-terminated contents; never NULL after buf_init */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) CAIRN_PRINTF(2, 3);
/* Hand the string to the caller (free with free); the buffer is reset. */
char *buf_detach(struct buf *b);

#endif
