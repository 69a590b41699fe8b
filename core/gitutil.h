/*
 * gitutil.h: the one adapter from libgit2 errors to cairn errors, and
 * libgit2's global setup. Thread-safe (libgit2 keeps errors per thread).
 */
#ifndef CAIRN_CORE_GITUTIL_H
#define CAIRN_CORE_GITUTIL_H

#include "core/error.h"

/* Initialise libgit2 once per process (idempotent). */
void gitutil_init(void);

/*
 * An error from git_error_last(), read right after the failing call:
 * "<context>: <libgit2 message>". GIT_ENOTFOUND maps to NOT_FOUND and
 * GIT_ELOCKED to LOCKED when the last call's code is passed via err_git_code.
 */
const struct cairn_error *err_git(const char *fmt, ...) CAIRN_PRINTF(1, 2);
const struct cairn_error *err_git_code(int code, const char *fmt, ...) CAIRN_PRINTF(2, 3);

#endif
