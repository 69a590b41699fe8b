/*
 * xmalloc.h: allocation that never returns NULL. On out-of-memory it removes
 * registered temp files, prints one error line and exits 1 (the only place
 * outside cmd/ that exits). Thread-safe.
 */
#ifndef CAIRN_CORE_XMALLOC_H
#define CAIRN_CORE_XMALLOC_H

#include <stddef.h>

#include "core/error.h"

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size bytes; overflow-checked. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) CAIRN_PRINTF(1, 2);

/* Ensure capacity for n elements in a growable array (p, cap). */
#define XGROW(p, n, cap)                                              \
	do {                                                          \
		if ((size_t)(n) > (cap)) {                            \
			size_t xg_new_ = (cap) ? (cap) * 2 : 16;      \
			while (xg_new_ < (size_t)(n))                 \
				xg_new_ *= 2;                         \
			(p) = xreallocarray((p), xg_new_, sizeof(*(p))); \
			(cap) = xg_new_;                              \
		}                                                     \
	} while (0)

#endif
