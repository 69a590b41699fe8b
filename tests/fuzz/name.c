/*
 * tests/fuzz/name.c: names and paths from a clone: pointer and manifest
 * names, symlink targets, stage names, cairn.yaml paths (stage_norm_path
 * with a working folder) and .gitignore lines. Input: NUL-separated
 * fields, the first one also read as a name; the first byte is the depth.
 */
#include "buildconf.h"

#include <stdbool.h>

#include "core/ignore.h"
#include "core/name.h"
#include "core/stage.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(name)
{
	size_t pos = 0;
	char *a, *b, *rel = NULL, *line;
	bool external;
	int depth = size ? data[0] % 8 : 0;

	(void)name_utf8_valid((const char *)data, size);
	a = fuzz_field(data, size, &pos);
	b = fuzz_field(data, size, &pos);
	if (name_check(a) == NULL && (*a == '\0' || strchr(a, '/') || strcmp(a, "..") == 0))
		abort(); /* the promises of name.h */
	(void)name_check_link_target(a, depth);
	(void)stage_name_check(a);
	(void)stage_reserved(a);
	line = ignore_line(a);
	free(line);
	if (stage_norm_path(&rel, &external, a, b, "/repo") == NULL) {
		/* a relative result never leaves the work tree nor enters .git */
		if (!external && (rel[0] == '/' || strcmp(rel, "..") == 0 ||
				  strncmp(rel, "../", 3) == 0 || strstr(rel, "/../") ||
				  strcmp(rel, ".git") == 0 || strncmp(rel, ".git/", 5) == 0))
			abort();
		free(rel);
	}
	if (stage_norm_path(&rel, &external, "", a, NULL) == NULL)
		free(rel);
	free(b);
	free(a);
	return 0;
}
