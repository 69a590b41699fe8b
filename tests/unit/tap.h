/*
 * tap.h: the in-tree unit test harness. Each tests/unit/<module>.c defines
 * test_<module>__<case>(void) functions and a main that runs them with
 * TAP_RUN; every check prints one TAP line, and the plan is printed at the
 * end (tap_done), so automake's tap-driver.sh counts each check.
 * Header-only; not thread-safe (call checks from the main thread).
 */
#ifndef CAIRN_TESTS_UNIT_TAP_H
#define CAIRN_TESTS_UNIT_TAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n;          /* checks run */
static int tap_failed;     /* checks failed */
static const char *tap_case; /* current test function */

static void tap_vreport(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%s %d - %s: ", pass ? "ok" : "not ok", tap_n, tap_case ? tap_case : "");
	vprintf(fmt, ap);
	printf("\n");
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
}

static inline int tap_ok_at(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int tap_ok_at(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

static inline int tap_is_int_at(long long got, long long want, const char *file, int line,
				const char *what)
{
	int pass = got == want;

	tap_ok_at(pass, file, line, "%s", what);
	if (!pass)
		printf("#   got %lld, want %lld\n", got, want);
	return pass;
}

static inline int tap_is_str_at(const char *got, const char *want, const char *file, int line,
				const char *what)
{
	int pass = (got == NULL && want == NULL) ||
		   (got != NULL && want != NULL && strcmp(got, want) == 0);

	tap_ok_at(pass, file, line, "%s", what);
	if (!pass)
		printf("#   got  '%s'\n#   want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return pass;
}

/* ok(cond, "what is checked") */
#define ok(cond, ...) tap_ok_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, what) tap_is_int_at((long long)(got), (long long)(want), __FILE__, __LINE__, what)
#define is_str(got, want, what) tap_is_str_at((got), (want), __FILE__, __LINE__, what)
/* An error-returning call succeeded (NULL) / failed with the given code. */
#define ok_noerr(e, what) tap_noerr_at((e), __FILE__, __LINE__, what)
#define is_err(e, code, what) tap_is_err_at((e), (code), __FILE__, __LINE__, what)

#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))
#define bail(...) (printf("Bail out! "), printf(__VA_ARGS__), printf("\n"), exit(1))

#define TAP_RUN(fn) (tap_case = #fn, fn(), tap_case = NULL)

/* Print the plan; the exit status says whether every check passed. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* A fresh scratch folder under $TMPDIR; caller frees. */
static inline char *tap_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	p = malloc(strlen(base) + 32);
	if (p == NULL)
		bail("out of memory");
	sprintf(p, "%s/cairn-unit.XXXXXX", base);
	if (mkdtemp(p) == NULL)
		bail("mkdtemp failed");
	return p;
}

/* Remove a scratch folder made by tap_tmpdir (and free the string). */
static inline void tap_rmtree(char *dir)
{
	char *cmd = malloc(strlen(dir) + 32);

	if (cmd) {
		sprintf(cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			diag("could not remove %s", dir);
		free(cmd);
	}
	free(dir);
}

#ifdef CAIRN_CORE_ERROR_H
static inline int tap_noerr_at(const struct cairn_error *e, const char *file, int line,
			       const char *what)
{
	tap_ok_at(e == NULL, file, line, "%s", what);
	if (e)
		printf("#   error: %s\n", e->msg);
	return e == NULL;
}

static inline int tap_is_err_at(const struct cairn_error *e, int code, const char *file,
				int line, const char *what)
{
	int pass = e != NULL && e->code == code;

	tap_ok_at(pass, file, line, "%s", what);
	if (!pass)
		printf("#   got %s (code %d), want code %d\n", e ? e->msg : "no error",
		       e ? e->code : 0, code);
	return pass;
}
#endif

#endif
