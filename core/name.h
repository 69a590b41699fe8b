/*
 * name.h: the rules for a single path component stored in a pointer or a
 * manifest (DESIGN 4 and 5): never empty, ".", "..", containing '/' or NUL,
 * valid UTF-8, and never ".git" in any letter case. Thread-safe.
 */
#ifndef CAIRN_CORE_NAME_H
#define CAIRN_CORE_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool name_utf8_valid(const char *s, size_t len);

/* NULL when name is a valid component, else a short reason ("contains '/'"). */
const char *name_check(const char *name);

/*
 * NULL when a symlink stored at depth (0 = directly in the tracked folder)
 * with this target stays inside the tracked folder, lexically; else a reason.
 */
const char *name_check_link_target(const char *target, int depth);

#endif
