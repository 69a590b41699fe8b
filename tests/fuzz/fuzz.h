/*
 * fuzz.h: the shape shared by the libFuzzer harnesses of tests/fuzz/. Each
 * harness is one FUZZ_TARGET(name) body that feeds one input to one parser;
 * built with --enable-fuzz it is LLVMFuzzerTestOneInput, built with
 * -DFUZZ_REPLAY (tests/unit/fuzz_corpus) it is fuzz_<name>, so the gcc
 * suite replays every corpus file through the same code.
 */
#ifndef CAIRN_TESTS_FUZZ_FUZZ_H
#define CAIRN_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

#ifdef FUZZ_REPLAY
#define FUZZ_TARGET(name)                                      \
	int fuzz_##name(const uint8_t *data, size_t size);     \
	int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name)                                            \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* A NUL-terminated copy of the input (caller frees). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The next NUL-separated field of the input, as a new string; *pos moves
 * past it. Past the end, an empty string.
 */
static inline char *fuzz_field(const uint8_t *data, size_t size, size_t *pos)
{
	const uint8_t *nul;
	size_t n;

	if (*pos >= size)
		return fuzz_str(data, 0);
	nul = memchr(data + *pos, '\0', size - *pos);
	n = nul ? (size_t)(nul - (data + *pos)) : size - *pos;
	{
		char *s = fuzz_str(data + *pos, n);

		*pos += n + 1;
		return s;
	}
}

#endif
