/*
 * config.c: git-config files through libgit2 (git_config with one on-disk
 * backend per level).
 */
#include "buildconf.h"

#include "core/config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/tempfile.h"
#include "core/xmalloc.h"

struct config {
	git_config *cfg;
	char *paths[5]; /* indexed by enum config_level */
};

static git_config_level_t config_git_level(enum config_level l)
{
	switch (l) {
	case CONFIG_SYSTEM:
		return GIT_CONFIG_LEVEL_SYSTEM;
	case CONFIG_GLOBAL:
		return GIT_CONFIG_LEVEL_GLOBAL;
	case CONFIG_REPO:
		return GIT_CONFIG_LEVEL_LOCAL;
	default:
		return GIT_CONFIG_LEVEL_APP;
	}
}

static enum config_level config_from_git_level(git_config_level_t l)
{
	switch (l) {
	case GIT_CONFIG_LEVEL_SYSTEM:
		return CONFIG_SYSTEM;
	case GIT_CONFIG_LEVEL_GLOBAL:
		return CONFIG_GLOBAL;
	case GIT_CONFIG_LEVEL_LOCAL:
		return CONFIG_REPO;
	default:
		return CONFIG_LOCAL;
	}
}

static char *config_global_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		return xasprintf("%s/cairn/config", xdg);
	if (home && *home)
		return xasprintf("%s/.config/cairn/config", home);
	return NULL;
}

/*
 * True when git-config text has an include or includeIf section ("[" then
 * blanks then "include", in any case, anywhere: libgit2 also honours
 * "[core] [include]"). libgit2 follows includes on its own, so a committed
 * .cairn/config could make cairn read any file of the user's machine, or
 * hang on a FIFO.
 */
static bool config_text_includes(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end && (p = memchr(p, '[', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) >= 7 && strncasecmp(p, "include", 7) == 0)
			return true;
	}
	return false;
}

static const struct cairn_error *config_no_includes(const char *text, size_t len,
						    const char *what)
{
	if (!config_text_includes(text, len))
		return NULL;
	return err_hint(err_new(CAIRN_ERR_FORMAT,
				"'%s' includes other files (include, includeIf), which a "
				"committed config may not",
				what),
			"put includes in .cairn/config.local");
}

/* The committed level: read it first, and refuse includes. */
static const struct cairn_error *config_check_repo(const char *path)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;

	buf_init(&b);
	e = fs_read_file(&b, path, CONFIG_MAX_BYTES);
	if (err_is(e, CAIRN_ERR_NOT_FOUND))
		e = NULL;
	else if (e == NULL)
		e = config_no_includes(b.s, b.len, path);
	buf_release(&b);
	return e;
}

const struct cairn_error *config_open(struct config **out, const char *cairn_dir)
{
	struct config *c = xcalloc(1, sizeof(*c));
	const char *sys = getenv("CAIRN_CONFIG_SYSTEM");
	int l;

	if (git_config_new(&c->cfg) < 0) {
		free(c);
		return err_git("config");
	}
	c->paths[CONFIG_SYSTEM] = xstrdup(sys && *sys ? sys : "/etc/cairn/config");
	c->paths[CONFIG_GLOBAL] = config_global_path();
	if (cairn_dir) {
		c->paths[CONFIG_REPO] = fs_join(cairn_dir, "config");
		c->paths[CONFIG_LOCAL] = fs_join(cairn_dir, "config.local");
	}
	for (l = CONFIG_SYSTEM; l <= CONFIG_LOCAL; l++) {
		if (c->paths[l] == NULL)
			continue;
		if (l == CONFIG_REPO) {
			const struct cairn_error *e = config_check_repo(c->paths[l]);

			if (e) {
				config_close(c);
				return e;
			}
		}
		if (git_config_add_file_ondisk(c->cfg, c->paths[l], config_git_level(l), NULL, 0) < 0) {
			const struct cairn_error *e = err_git("read config '%s'", c->paths[l]);

			config_close(c);
			return e;
		}
	}
	*out = c;
	return NULL;
}

void config_close(struct config *c)
{
	int i;

	if (c == NULL)
		return;
	git_config_free(c->cfg);
	for (i = 0; i < 5; i++)
		free(c->paths[i]);
	free(c);
}

char *config_level_path(const struct config *c, enum config_level level)
{
	return c->paths[level] ? xstrdup(c->paths[level]) : NULL;
}

/* cache.dir -> CAIRN_CACHE_DIR; three-part keys have no variable. */
static const char *config_env(const char *key)
{
	char name[128];
	size_t i, dots = 0;

	if (strlen(key) + 7 >= sizeof(name))
		return NULL;
	strcpy(name, "CAIRN_");
	for (i = 0; key[i]; i++) {
		char ch = key[i];

		if (ch == '.')
			dots++;
		name[6 + i] = (ch == '.' || ch == '-') ? '_' : (char)toupper((unsigned char)ch);
	}
	name[6 + i] = '\0';
	if (dots != 1)
		return NULL;
	return getenv(name);
}

const struct cairn_error *config_get_str(char **out, struct config *c, const char *key)
{
	git_config_entry *ent = NULL;
	const char *env = config_env(key);
	int r;

	*out = NULL;
	if (env) {
		*out = xstrdup(env);
		return NULL;
	}
	r = git_config_get_entry(&ent, c->cfg, key);
	if (r == GIT_ENOTFOUND)
		return NULL;
	if (r < 0)
		return err_git("config '%s'", key);
	*out = xstrdup(ent->value ? ent->value : "");
	git_config_entry_free(ent);
	return NULL;
}

const struct cairn_error *config_get_bool(bool *out, struct config *c, const char *key, bool def)
{
	const struct cairn_error *e;
	char *s;
	int v;

	if ((e = config_get_str(&s, c, key)) != NULL)
		return e;
	*out = def;
	if (s == NULL)
		return NULL;
	if (git_config_parse_bool(&v, s) < 0) {
		e = err_new(CAIRN_ERR_FORMAT, "config '%s': '%s' is not a boolean", key, s);
		free(s);
		return e;
	}
	free(s);
	*out = v != 0;
	return NULL;
}

const struct cairn_error *config_get_int(int64_t *out, struct config *c, const char *key,
					 int64_t def)
{
	const struct cairn_error *e;
	char *s;

	if ((e = config_get_str(&s, c, key)) != NULL)
		return e;
	*out = def;
	if (s == NULL)
		return NULL;
	if (git_config_parse_int64(out, s) < 0) {
		e = err_new(CAIRN_ERR_FORMAT, "config '%s': '%s' is not a number", key, s);
		free(s);
		return e;
	}
	free(s);
	return NULL;
}

/*
 * config.local holds credentials: libgit2 writes a lock file (mode 0666 &
 * ~umask) and renames it over the file, so the file is private only when
 * the umask says so while it is written (git's credential-store does the
 * same). Commands write settings before any worker thread starts.
 */
static mode_t config_write_begin(enum config_level level)
{
	return level == CONFIG_LOCAL ? umask(077) : (mode_t)-1;
}

static void config_write_end(mode_t saved)
{
	if (saved != (mode_t)-1)
		umask(saved);
}

static const struct cairn_error *config_open_level(git_config **lvl, struct config *c,
						   enum config_level level)
{
	if (c->paths[level] == NULL)
		return err_new(CAIRN_ERR_NOT_REPO, "no repository configuration here");
	if (git_config_open_level(lvl, c->cfg, config_git_level(level)) < 0)
		return err_git("config '%s'", c->paths[level]);
	return NULL;
}

const struct cairn_error *config_set(struct config *c, enum config_level level, const char *key,
				     const char *value)
{
	const struct cairn_error *e;
	git_config *lvl;
	mode_t mask;
	char *dir;

	dir = fs_dirname(c->paths[level] ? c->paths[level] : ".");
	e = fs_mkdirs(dir, 0777);
	free(dir);
	if (e)
		return e;
	if ((e = config_open_level(&lvl, c, level)) != NULL)
		return e;
	mask = config_write_begin(level);
	if (git_config_set_string(lvl, key, value) < 0)
		e = err_git("set '%s'", key);
	config_write_end(mask);
	git_config_free(lvl);
	return e;
}

const struct cairn_error *config_unset(struct config *c, enum config_level level,
				       const char *key)
{
	const struct cairn_error *e;
	git_config *lvl;
	mode_t mask;
	int r;

	if ((e = config_open_level(&lvl, c, level)) != NULL)
		return e;
	mask = config_write_begin(level);
	r = git_config_delete_entry(lvl, key);
	config_write_end(mask);
	if (r == GIT_ENOTFOUND)
		e = err_new(CAIRN_ERR_NOT_FOUND, "no such key '%s'", key);
	else if (r < 0)
		e = err_git("unset '%s'", key);
	git_config_free(lvl);
	return e;
}

/* Every entry of src; level, when not 0, stands for the entries' own. */
static const struct cairn_error *config_iterate(git_config *src, enum config_level level,
						config_entry_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	int r;

	if (git_config_iterator_new(&it, src) < 0)
		return err_git("config");
	while ((r = git_config_next(&ent, it)) == 0) {
		if ((e = cb(ent->name, ent->value ? ent->value : "",
			    level ? level : config_from_git_level(ent->level), arg)) != NULL)
			break;
	}
	if (e == NULL && r != GIT_ITEROVER)
		e = err_git("config");
	git_config_iterator_free(it);
	return e;
}

const struct cairn_error *config_foreach(struct config *c, enum config_level level,
					 config_entry_cb cb, void *arg)
{
	const struct cairn_error *e;
	git_config *lvl = NULL;

	if (level == 0)
		return config_iterate(c->cfg, 0, cb, arg);
	if ((e = config_open_level(&lvl, c, level)) != NULL)
		return e;
	e = config_iterate(lvl, 0, cb, arg);
	git_config_free(lvl);
	return e;
}

const struct cairn_error *config_text_foreach(const char *text, size_t len, const char *tmpdir,
					      config_entry_cb cb, void *arg)
{
	const struct cairn_error *e;
	git_config *cfg = NULL;
	char *path;
	mode_t mask;
	int fd, tmpid;

	if ((e = config_no_includes(text, len, ".cairn/config")) != NULL)
		return e;
	path = xasprintf("%s/config-XXXXXX", tmpdir);
	mask = umask(077);
	fd = mkstemp(path);
	umask(mask);
	if (fd < 0) {
		e = err_errno("create a temp file in '%s'", tmpdir);
		free(path);
		return e;
	}
	tmpid = tempfile_register(path);
	e = fs_write_all(fd, text, len);
	close(fd);
	if (e == NULL && git_config_open_ondisk(&cfg, path) < 0)
		e = err_new(CAIRN_ERR_FORMAT, "%s", git_error_last() ? git_error_last()->message
								     : "not a git-config file");
	if (e == NULL)
		e = config_iterate(cfg, CONFIG_REPO, cb, arg);
	git_config_free(cfg);
	unlink(path);
	tempfile_forget(tmpid);
	free(path);
	return e;
}

char *config_key_normalize(const char *key)
{
	const char *dot = strrchr(key, '.');
	size_t start = dot ? (size_t)(dot - key) + 1 : 0, i, j = start;
	char *out = xstrdup(key);
	bool up = false;

	for (i = start; key[i]; i++) {
		if (key[i] == '_' && i > start && key[i + 1] != '\0') {
			up = true;
			continue;
		}
		out[j++] = up ? (char)toupper((unsigned char)key[i]) : key[i];
		up = false;
	}
	out[j] = '\0';
	return out;
}

bool config_key_is_secret(const char *key)
{
	static const char *const secrets[] = { "accesskeyid", "secretaccesskey", "sessiontoken",
					       "password", NULL };
	const char *dot = strrchr(key, '.');
	const char *var = dot ? dot + 1 : key;
	char flat[64];
	size_t j = 0;
	int i;

	for (; *var && j + 1 < sizeof(flat); var++)
		if (*var != '_' && *var != '-')
			flat[j++] = (char)tolower((unsigned char)*var);
	flat[j] = '\0';
	for (i = 0; secrets[i]; i++)
		if (strcmp(flat, secrets[i]) == 0)
			return true;
	return false;
}
