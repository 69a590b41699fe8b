/*
 * tests/unit/config.c: settings through libgit2's config API: the four
 * levels and their precedence, CAIRN_SECTION_KEY overrides, typed reads
 * with clear errors, set and unset at one level, iteration.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/error.h"
#include "core/gitutil.h"
#include "tests/unit/tap.h"

static char *dir;

static void put(const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0)
		bail("write %s", rel);
	fclose(f);
}

static struct config *open_all(void)
{
	struct config *c = NULL;
	char path[4096];

	snprintf(path, sizeof(path), "%s/.cairn", dir);
	if (config_open(&c, path) != NULL)
		bail("config_open");
	return c;
}

static void test_config__levels(void)
{
	struct config *c;
	char *s = NULL, *p;

	put("system", "[core]\n\tjobs = 1\n\tname = system\n[a]\n\tsys = yes\n");
	put("home/.config/cairn/config", "[core]\n\tjobs = 2\n\tname = global\n");
	put(".cairn/config", "[core]\n\tjobs = 3\n\tname = repo\n");
	put(".cairn/config.local", "[core]\n\tname = local\n");
	c = open_all();
	ok_noerr(config_get_str(&s, c, "core.name"), "read core.name");
	is_str(s, "local", "config.local wins");
	free(s);
	{
		int64_t n = 0;

		ok_noerr(config_get_int(&n, c, "core.jobs", 0), "read core.jobs");
		is_int(n, 3, ".cairn/config beats the user's and the system's");
	}
	ok_noerr(config_get_str(&s, c, "a.sys"), "read a key only the system file has");
	is_str(s, "yes", "the system level is read");
	free(s);
	ok_noerr(config_get_str(&s, c, "no.such"), "read an unset key");
	ok(s == NULL, "unset is NULL, not an error");
	p = config_level_path(c, CONFIG_LOCAL);
	ok(p && strstr(p, "/.cairn/config.local"), "the local level's file");
	free(p);
	config_close(c);
}

static void test_config__env(void)
{
	struct config *c = open_all();
	char *s = NULL;
	int64_t n = 0;

	setenv("CAIRN_CORE_NAME", "from-env", 1);
	setenv("CAIRN_CORE_JOBS", "9", 1);
	ok_noerr(config_get_str(&s, c, "core.name"), "read with CAIRN_CORE_NAME set");
	is_str(s, "from-env", "the environment overrides every file");
	free(s);
	config_get_int(&n, c, "core.jobs", 0);
	is_int(n, 9, "also for numbers");
	setenv("CAIRN_CACHE_TYPE", "copy", 1);
	config_get_str(&s, c, "cache.type");
	is_str(s, "copy", "CAIRN_CACHE_TYPE is cache.type");
	free(s);
	unsetenv("CAIRN_CORE_NAME");
	unsetenv("CAIRN_CORE_JOBS");
	unsetenv("CAIRN_CACHE_TYPE");
	config_close(c);
}

static void test_config__types(void)
{
	struct config *c;
	bool b = false;
	int64_t n = 0;

	put(".cairn/config.local", "[t]\n\tyes = yes\n\toff = off\n\tbad = maybe\n"
				   "\tk = 4k\n\tnum = x12\n");
	c = open_all();
	ok_noerr(config_get_bool(&b, c, "t.yes", false), "a boolean 'yes'");
	ok(b, "is true");
	ok_noerr(config_get_bool(&b, c, "t.off", true), "a boolean 'off'");
	ok(!b, "is false");
	ok_noerr(config_get_bool(&b, c, "t.unset", true), "an unset boolean");
	ok(b, "takes the default");
	is_err(config_get_bool(&b, c, "t.bad", false), CAIRN_ERR_FORMAT, "'maybe' is not a boolean");
	ok_noerr(config_get_int(&n, c, "t.k", 0), "'4k'");
	is_int(n, 4096, "is 4096, as in git");
	is_err(config_get_int(&n, c, "t.num", 0), CAIRN_ERR_FORMAT, "'x12' is not a number");
	config_close(c);
}

struct seen {
	int n;
	int local;
};

static const struct cairn_error *count(const char *name, const char *value,
				       enum config_level level, void *arg)
{
	struct seen *s = arg;

	(void)name;
	(void)value;
	s->n++;
	if (level == CONFIG_LOCAL)
		s->local++;
	return NULL;
}

static const struct cairn_error *count_any(const char *name, const char *value,
					   enum config_level level, void *arg)
{
	(void)name;
	(void)value;
	(void)level;
	(void)arg;
	return NULL;
}

static void test_config__set_unset(void)
{
	struct config *c = open_all();
	struct seen s = { 0, 0 };
	char *v = NULL;

	ok_noerr(config_set(c, CONFIG_REPO, "cache.type", "reflink,copy"), "set at the repo level");
	config_close(c);
	c = open_all();
	config_get_str(&v, c, "cache.type");
	is_str(v, "reflink,copy", "it is read back");
	free(v);
	ok_noerr(config_unset(c, CONFIG_REPO, "cache.type"), "unset it");
	is_err(config_unset(c, CONFIG_REPO, "cache.type"), CAIRN_ERR_NOT_FOUND,
	       "unsetting a missing key is NOT_FOUND");
	ok_noerr(config_foreach(c, CONFIG_LOCAL, count, &s), "iterate one level");
	ok(s.n == 5 && s.local == 5, "five entries, all local");
	config_close(c);
	ok_noerr(config_open(&c, NULL), "open outside a repository");
	is_err(config_set(c, CONFIG_REPO, "a.b", "c"), CAIRN_ERR_NOT_REPO,
	       "no repository level there");
	config_close(c);
}

/*
 * A committed .cairn/config with an include: libgit2 follows it to any
 * file, and hung on a FIFO (any command of a hostile clone). Refused before
 * libgit2 reads it, in every spelling libgit2 honours; config.local may.
 */
static void test_config__no_includes(void)
{
	static const char *const hostile[] = { "[include]", "[Include]", "[core] [include]",
					       "[includeIf \"gitdir:/\"]", NULL };
	const struct cairn_error *e;
	struct config *c = NULL;
	char fifo[4096], cdir[4096], text[8192];
	char *s = NULL;
	int i;

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(cdir, sizeof(cdir), "%s/.cairn", dir);
	if (mkfifo(fifo, 0600) < 0)
		bail("mkfifo");
	for (i = 0; hostile[i]; i++) {
		snprintf(text, sizeof(text), "%s\n\tpath = %s\n", hostile[i], fifo);
		put(".cairn/config", text);
		e = config_open(&c, cdir);
		is_err(e, CAIRN_ERR_FORMAT, "an include in .cairn/config is refused, not followed");
		ok(e && strstr(e->msg, "includes other files"), "says why");
		e = config_text_foreach(text, strlen(text), dir, count_any, NULL);
		is_err(e, CAIRN_ERR_FORMAT, "and in staged text (pre-commit)");
	}
	snprintf(text, sizeof(text), "%s/extra", dir);
	put("extra", "[core]\n\tname = extra\n");
	put(".cairn/config", "[core]\n\tname = repo\n");
	snprintf(text, sizeof(text), "[include]\n\tpath = %s/extra\n", dir);
	put(".cairn/config.local", text);
	ok_noerr(config_open(&c, cdir), "config.local may include");
	ok_noerr(config_get_str(&s, c, "core.name"), "read core.name");
	is_str(s, "extra", "from the included file");
	free(s);
	config_close(c);
	put(".cairn/config.local", "");
	unlink(fifo);
}

int main(void)
{
	char path[4096];

	dir = tap_tmpdir();
	snprintf(path, sizeof(path), "mkdir -p '%s/.cairn' '%s/home/.config/cairn'", dir, dir);
	if (system(path) != 0)
		bail("mkdir");
	snprintf(path, sizeof(path), "%s/home", dir);
	setenv("HOME", path, 1);
	unsetenv("XDG_CONFIG_HOME");
	snprintf(path, sizeof(path), "%s/system", dir);
	setenv("CAIRN_CONFIG_SYSTEM", path, 1);
	gitutil_init();
	TAP_RUN(test_config__levels);
	TAP_RUN(test_config__env);
	TAP_RUN(test_config__types);
	TAP_RUN(test_config__set_unset);
	TAP_RUN(test_config__no_includes);
	tap_rmtree(dir);
	return tap_done();
}
