/*
 * ignore.h: the entries cairn keeps in .gitignore files so tracked data
 * stays out of Git: "/NAME" in the .gitignore of the pointer's folder, with
 * gitignore's special characters escaped so the entry matches exactly that
 * one name. Files are rewritten atomically; a symlinked .gitignore is
 * refused. Not thread-safe.
 */
#ifndef CAIRN_CORE_IGNORE_H
#define CAIRN_CORE_IGNORE_H

#include <stdbool.h>

#include "core/error.h"

/* The .gitignore line for name: "/" + name with * ? [ ] \ ! # and trailing blanks escaped. */
char *ignore_line(const char *name);

/* Add the line for name to <dir>/.gitignore (dir relative to rootfd) unless present. */
const struct cairn_error *ignore_add(int rootfd, const char *dir, const char *name);

/* Remove the line for name from <dir>/.gitignore; the file is removed when it empties. */
const struct cairn_error *ignore_remove(int rootfd, const char *dir, const char *name);

#endif
