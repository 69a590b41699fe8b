/*
 * error.h: the error type every cairn function returns.
 * NULL means success; an error lives in a thread-local ring of slots, so it
 * must be returned or printed at once and never stored. Thread-safe.
 */
#ifndef CAIRN_CORE_ERROR_H
#define CAIRN_CORE_ERROR_H

#include <stdbool.h>

enum cairn_err_code {
	CAIRN_ERR_FAILED = 1,    /* generic failure */
	CAIRN_ERR_ERRNO,         /* a system call failed; sys_errno is set */
	CAIRN_ERR_USAGE,         /* bad command line */
	CAIRN_ERR_NOT_REPO,      /* not in a git work tree / cairn not initialised */
	CAIRN_ERR_NOT_TRACKED,   /* path is not tracked by cairn */
	CAIRN_ERR_NOT_FOUND,     /* file, object, key or remote does not exist */
	CAIRN_ERR_EXISTS,        /* would create something that exists */
	CAIRN_ERR_CORRUPT,       /* content does not match its hash */
	CAIRN_ERR_FORMAT,        /* malformed pointer, manifest, yaml or lock file */
	CAIRN_ERR_LOCKED,        /* another process holds the lock */
	CAIRN_ERR_WOULD_CLOBBER, /* would lose uncommitted data without --force */
	CAIRN_ERR_REMOTE,        /* remote storage failure */
	CAIRN_ERR_AUTH,          /* credentials missing or refused */
	CAIRN_ERR_GIT,           /* libgit2 failure */
	CAIRN_ERR_CANCELLED,     /* interrupted by the user */
};

struct cairn_error {
	int code;         /* enum cairn_err_code */
	int sys_errno;    /* errno for CAIRN_ERR_ERRNO, else 0 */
	const char *msg;  /* one line, no "cairn: error:" prefix */
	const char *hint; /* optional second line for the user, or NULL */
};

#if defined(__GNUC__)
#define CAIRN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CAIRN_PRINTF(f, a)
#endif

/* A new error with the given code and message. */
const struct cairn_error *err_new(int code, const char *fmt, ...) CAIRN_PRINTF(2, 3);

/* An error from errno: "<message>: <strerror(errno)>"; ENOENT maps to NOT_FOUND. */
const struct cairn_error *err_errno(const char *fmt, ...) CAIRN_PRINTF(1, 2);

/* An error from an explicit errno value (for threads and saved errno). */
const struct cairn_error *err_sys(int errnum, const char *fmt, ...) CAIRN_PRINTF(2, 3);

/* Prefix context to an error, keeping its code: "<context>: <msg>". NULL stays NULL. */
const struct cairn_error *err_wrap(const struct cairn_error *e, const char *fmt, ...)
	CAIRN_PRINTF(2, 3);

/* Attach (or replace) a hint line to an error; returns the same error. */
const struct cairn_error *err_hint(const struct cairn_error *e, const char *fmt, ...)
	CAIRN_PRINTF(2, 3);

/* True when e is an error with the given code. */
bool err_is(const struct cairn_error *e, int code);

/* Copy an error out of its thread slot into caller storage, and back. */
struct err_copy {
	int code, sys_errno;
	char msg[1024];
	char hint[256];
};
void err_save(struct err_copy *dst, const struct cairn_error *e);
const struct cairn_error *err_load(const struct err_copy *src);

#endif
