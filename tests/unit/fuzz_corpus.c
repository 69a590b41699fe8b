/*
 * tests/unit/fuzz_corpus.c: replays every file of tests/fuzz/corpus/<name>/
 * through the harness tests/fuzz/<name>.c (built as fuzz_<name>), so the
 * gcc suite and its ASan+UBSan build run each input the fuzzers kept,
 * every crash they found included, without clang. A harness aborts on a
 * broken property; a sanitizer report fails the program.
 */
#include "buildconf.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/xmalloc.h"
#include "tests/unit/tap.h"

#define FUZZ_DECL(name) int fuzz_##name(const uint8_t *data, size_t size);
FUZZ_DECL(gitconfig)
FUZZ_DECL(lockfile)
FUZZ_DECL(manifest)
FUZZ_DECL(name)
FUZZ_DECL(params)
FUZZ_DECL(pipeline)
FUZZ_DECL(ptr)
FUZZ_DECL(s3_xml)
FUZZ_DECL(values)
FUZZ_DECL(yjson)

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} harnesses[] = {
	{ "gitconfig", fuzz_gitconfig }, { "lockfile", fuzz_lockfile },
	{ "manifest", fuzz_manifest },   { "name", fuzz_name },
	{ "params", fuzz_params },       { "pipeline", fuzz_pipeline },
	{ "ptr", fuzz_ptr },             { "s3_xml", fuzz_s3_xml },
	{ "values", fuzz_values },       { "yjson", fuzz_yjson },
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every file of the harness's corpus folder; the number run, -1 when unreadable. */
static long replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char *dir = xasprintf("%s/%s", FUZZ_CORPUS_DIR, name), **files = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);
	long run = 0;

	if (d == NULL) {
		diag("%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		XGROW(files, n + 1, cap);
		files[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(files, n, sizeof(*files), name_cmp);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		struct buf b = BUF_INIT;
		const struct cairn_error *e;

		buf_init(&b);
		e = fs_read_file(&b, path, 1u << 20);
		if (e != NULL) {
			diag("%s: %s", path, e->msg);
			run = -1;
		} else {
			/* an exact-size copy, so ASan sees a read past the input */
			uint8_t *copy = xmalloc(b.len ? b.len : 1);

			memcpy(copy, b.s, b.len);
			fn(copy, b.len);
			free(copy);
			if (run >= 0)
				run++;
		}
		buf_release(&b);
		free(path);
		free(files[i]);
	}
	free(files);
	free(dir);
	return run;
}

static void test_fuzz_corpus__replay(void)
{
	size_t i;

	for (i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++) {
		long run = replay(harnesses[i].name, harnesses[i].fn);

		ok(run > 0, "corpus of %s replayed (%ld files)", harnesses[i].name, run);
	}
}

int main(void)
{
	TAP_RUN(test_fuzz_corpus__replay);
	return tap_done();
}
