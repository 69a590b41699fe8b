/*
 * remote_cfg.c: remotes in the configuration, through core/config (libgit2's
 * config API). The known settings and their types live in one table here;
 * a backend that reads a new setting adds its row.
 */
#include "buildconf.h"

#include "core/remote_cfg.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/par.h"
#include "core/xmalloc.h"

#define REMOTE_CFG_NAME_MAX 64

enum remote_cfg_type { RC_STR, RC_BOOL, RC_JOBS, RC_SIZE, RC_RETRIES, RC_SECONDS };

static const struct {
	const char *key; /* canonical spelling */
	enum remote_cfg_type type;
} remote_cfg_keys[] = {
	{ "url", RC_STR },
	{ "jobs", RC_JOBS },
	{ "endpoint", RC_STR },
	{ "region", RC_STR },
	{ "profile", RC_STR },
	{ "accessKeyId", RC_STR },
	{ "secretAccessKey", RC_STR },
	{ "sessionToken", RC_STR },
	{ "pathStyle", RC_BOOL },
	{ "multipartThreshold", RC_SIZE },
	{ "multipartChunk", RC_SIZE },
	{ "sse", RC_STR },
	{ "retries", RC_RETRIES },
	{ "timeout", RC_SECONDS },
	{ NULL, RC_STR },
};

bool remote_cfg_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > REMOTE_CFG_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return false;
	return true;
}

static const struct cairn_error *remote_cfg_bad_name(const char *name)
{
	return err_hint(err_new(CAIRN_ERR_USAGE, "invalid remote name '%s'", name),
			"use letters, digits, '.', '_' and '-' (at most 64)");
}

const struct cairn_error *remote_cfg_jobs(int *out, const char *what, const char *text)
{
	return par_jobs_parse(out, what, text, REMOTE_CFG_JOBS_MAX);
}

/* The user-and-password part of url ("u:p@"): its start and length (0: none). */
static size_t remote_cfg_userinfo(const char *url, const char **start)
{
	const char *host = strstr(url, "://"), *end, *at;

	if (host == NULL)
		return 0;
	host += 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	if (at == NULL)
		return 0;
	while (memchr(at + 1, '@', (size_t)(end - at - 1)) != NULL) /* "u@x:p@host" */
		at = memchr(at + 1, '@', (size_t)(end - at - 1));
	*start = host;
	return (size_t)(at + 1 - host);
}

bool remote_cfg_url_has_userinfo(const char *url)
{
	const char *start;

	return remote_cfg_userinfo(url, &start) > 0;
}

const struct cairn_error *remote_cfg_check_url(const char *name, const char *url)
{
	if (!remote_cfg_url_has_userinfo(url))
		return NULL;
	return err_hint(err_new(CAIRN_ERR_USAGE,
				"remote '%s': the URL holds credentials; cairn does not store them "
				"in a URL",
				name),
			"give the URL without them; S3 keys go to: cairn remote modify %s "
			"secret_access_key ... (kept in .cairn/config.local)",
			name);
}

static char *remote_cfg_masked_url(const char *url)
{
	const char *start;
	size_t n = remote_cfg_userinfo(url, &start);

	if (n == 0)
		return xstrdup(url);
	return xasprintf("%.*s********@%s", (int)(start - url), url, start + n);
}

/* The name in remote.<name>.url or .endpoint (caller frees), or NULL for another key. */
static char *remote_cfg_url_key(const char *key)
{
	static const char *const urls[] = { ".url", ".endpoint", NULL };
	size_t n = strlen(key), k;
	int i;

	if (strncasecmp(key, "remote.", 7) != 0)
		return NULL;
	for (i = 0; urls[i]; i++) {
		k = strlen(urls[i]);
		if (n > 7 + k && strcasecmp(key + n - k, urls[i]) == 0)
			return xstrndup(key + 7, n - 7 - k);
	}
	return NULL;
}

char *remote_cfg_shown(const char *key, const char *value)
{
	char *name;

	if (config_key_is_secret(key))
		return xstrdup("********");
	if ((name = remote_cfg_url_key(key)) == NULL)
		return xstrdup(value);
	free(name);
	return remote_cfg_masked_url(value);
}

const struct cairn_error *remote_cfg_check_value(const char *key, const char *value)
{
	const struct cairn_error *e;
	char *name = remote_cfg_url_key(key);

	if (name == NULL)
		return NULL;
	e = remote_cfg_check_url(name, value);
	free(name);
	return e;
}

void remote_cfg_list_release(struct remote_cfg_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].url);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* "remote.NAME.url" -> NAME (caller frees), or NULL for other keys. */
static char *remote_cfg_url_name(const char *key)
{
	size_t n = strlen(key);

	if (strncasecmp(key, "remote.", 7) != 0 || n < 12 || strcasecmp(key + n - 4, ".url") != 0)
		return NULL;
	return xstrndup(key + 7, n - 11);
}

static const struct cairn_error *remote_cfg_on_entry(const char *key, const char *value,
						     enum config_level level, void *arg)
{
	struct remote_cfg_list *l = arg;
	char *name = remote_cfg_url_name(key);
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			break;
	if (i == l->n) {
		XGROW(l->v, l->n + 1, l->cap);
		memset(&l->v[i], 0, sizeof(l->v[i]));
		l->v[i].name = name;
		l->n++;
	} else {
		free(name);
	}
	/* entries come lowest level first: the last one wins, as for lookups */
	free(l->v[i].url);
	l->v[i].url = xstrdup(value);
	l->v[i].level = level;
	return NULL;
}

static int remote_cfg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct remote_cfg_entry *)a)->name,
		      ((const struct remote_cfg_entry *)b)->name);
}

const struct cairn_error *remote_cfg_list(struct remote_cfg_list *l, struct config *c)
{
	const struct cairn_error *e;
	char *def = NULL;
	size_t i;

	memset(l, 0, sizeof(*l));
	if ((e = config_foreach(c, 0, remote_cfg_on_entry, l)) != NULL ||
	    (e = config_get_str(&def, c, "core.remote")) != NULL) {
		remote_cfg_list_release(l);
		return e;
	}
	for (i = 0; i < l->n; i++)
		l->v[i].is_default = def && strcmp(def, l->v[i].name) == 0;
	free(def);
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), remote_cfg_cmp);
	return NULL;
}

static const struct cairn_error *remote_cfg_url(char **url, struct config *c, const char *name)
{
	char *key = xasprintf("remote.%s.url", name);
	const struct cairn_error *e = config_get_str(url, c, key);

	free(key);
	return e;
}

static const struct cairn_error *remote_cfg_require(struct config *c, const char *name)
{
	const struct cairn_error *e;
	char *url = NULL;

	if (!remote_cfg_name_ok(name))
		return remote_cfg_bad_name(name);
	if ((e = remote_cfg_url(&url, c, name)) != NULL)
		return e;
	if (url == NULL)
		return err_hint(err_new(CAIRN_ERR_NOT_FOUND, "no remote '%s'", name),
				"see 'cairn remote list', or add one: cairn remote add NAME URL");
	free(url);
	return NULL;
}

const struct cairn_error *remote_cfg_add(struct config *c, enum config_level level,
					 const char *name, const char *url)
{
	const struct cairn_error *e;
	char *old = NULL, *key;

	if (!remote_cfg_name_ok(name))
		return remote_cfg_bad_name(name);
	if (*url == '\0')
		return err_new(CAIRN_ERR_USAGE, "remote '%s': empty URL", name);
	if ((e = remote_cfg_check_url(name, url)) != NULL)
		return e;
	if ((e = remote_cfg_url(&old, c, name)) != NULL)
		return e;
	if (old) {
		char *shown = remote_cfg_masked_url(old);

		e = err_hint(err_new(CAIRN_ERR_EXISTS, "remote '%s' exists already (%s)", name, shown),
			     "change its URL with: cairn remote modify NAME url URL");
		free(shown);
		free(old);
		return e;
	}
	key = xasprintf("remote.%s.url", name);
	e = config_set(c, level, key, url);
	free(key);
	return e;
}

/* What one level says about a remote: its keys, and whether core.remote names it. */
struct remote_cfg_keys {
	const char *name;
	char **v;
	size_t n, cap;
	bool is_default;
};

static const struct cairn_error *remote_cfg_on_key(const char *key, const char *value,
						   enum config_level level, void *arg)
{
	struct remote_cfg_keys *k = arg;
	size_t n = strlen(k->name);

	(void)level;
	if (strcasecmp(key, "core.remote") == 0)
		k->is_default = strcmp(value, k->name) == 0;
	/* libgit2 gives the section in lower case; the subsection compares exactly */
	else if (strncmp(key, "remote.", 7) == 0 && strncmp(key + 7, k->name, n) == 0 &&
		 key[7 + n] == '.' && strchr(key + 8 + n, '.') == NULL) {
		XGROW(k->v, k->n + 1, k->cap);
		k->v[k->n++] = xstrdup(key);
	}
	return NULL;
}

/* Remove the remote's keys at one level; *removed counts them. */
static const struct cairn_error *remote_cfg_remove_level(struct config *c, enum config_level level,
							 const char *name, size_t *removed)
{
	const struct cairn_error *e;
	struct remote_cfg_keys k;
	char *path = config_level_path(c, level);
	size_t i;

	if (path == NULL)
		return NULL;
	free(path);
	memset(&k, 0, sizeof(k));
	k.name = name;
	e = config_foreach(c, level, remote_cfg_on_key, &k);
	for (i = 0; e == NULL && i < k.n; i++) {
		e = config_unset(c, level, k.v[i]);
		if (err_is(e, CAIRN_ERR_NOT_FOUND))
			e = NULL; /* a key given twice went with its first unset */
		else if (e == NULL)
			(*removed)++;
	}
	if (e == NULL && k.is_default) {
		e = config_unset(c, level, "core.remote");
		if (err_is(e, CAIRN_ERR_NOT_FOUND))
			e = NULL;
	}
	for (i = 0; i < k.n; i++)
		free(k.v[i]);
	free(k.v);
	return e;
}

const struct cairn_error *remote_cfg_remove(struct config *c, const char *name, bool global)
{
	const struct cairn_error *e = NULL;
	size_t removed = 0;

	if (!remote_cfg_name_ok(name))
		return remote_cfg_bad_name(name);
	if (global)
		e = remote_cfg_remove_level(c, CONFIG_GLOBAL, name, &removed);
	if (e == NULL)
		e = remote_cfg_remove_level(c, CONFIG_REPO, name, &removed);
	if (e == NULL)
		e = remote_cfg_remove_level(c, CONFIG_LOCAL, name, &removed);
	if (e == NULL && removed == 0) {
		char *url = NULL;

		e = remote_cfg_url(&url, c, name);
		if (e == NULL)
			e = url ? err_hint(err_new(CAIRN_ERR_NOT_FOUND,
						   "remote '%s' is not set in this repository", name),
					   "it comes from your user or system file; use --global for yours")
				: err_new(CAIRN_ERR_NOT_FOUND, "no remote '%s'", name);
		free(url);
	}
	return e;
}

/* Check a value against its type; NULL when it fits. */
static const struct cairn_error *remote_cfg_check(const char *key, enum remote_cfg_type type,
						  const char *value)
{
	static const char *const bools[] = { "true", "false", "yes", "no", "on", "off", "1", "0",
					     NULL };
	char *end;
	long long v;
	int i;

	switch (type) {
	case RC_JOBS:
		return remote_cfg_jobs(&i, key, value);
	case RC_BOOL:
		for (i = 0; bools[i]; i++)
			if (strcasecmp(value, bools[i]) == 0)
				return NULL;
		return err_new(CAIRN_ERR_USAGE, "%s: '%s' is not a boolean (true or false)", key, value);
	case RC_SIZE:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (end != value && *end && strchr("kKmMgG", *end))
			end++;
		if (errno || end == value || *end || v < 1)
			return err_new(CAIRN_ERR_USAGE,
				       "%s: '%s' is not a size (a number, optionally with k, m or g)",
				       key, value);
		return NULL;
	case RC_RETRIES:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno || end == value || *end || v < 0 || v > 20)
			return err_new(CAIRN_ERR_USAGE, "%s: '%s' is not a number from 0 to 20", key,
				       value);
		return NULL;
	case RC_SECONDS:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno || end == value || *end || v < 1 || v > 3600)
			return err_new(CAIRN_ERR_USAGE,
				       "%s: '%s' is not a number of seconds from 1 to 3600", key, value);
		return NULL;
	default:
		return *value ? NULL : err_new(CAIRN_ERR_USAGE, "%s: empty value", key);
	}
}

const struct cairn_error *remote_cfg_set(enum config_level *used, struct config *c,
					 enum config_level level, const char *name,
					 const char *key, const char *value)
{
	const struct cairn_error *e;
	char *norm = config_key_normalize(key), *full;
	struct buf known = BUF_INIT;
	int i;

	*used = level;
	if ((e = remote_cfg_require(c, name)) != NULL) {
		free(norm);
		return e;
	}
	for (i = 0; remote_cfg_keys[i].key; i++)
		if (strcasecmp(norm, remote_cfg_keys[i].key) == 0)
			break;
	if (remote_cfg_keys[i].key == NULL) {
		buf_init(&known);
		for (i = 0; remote_cfg_keys[i].key; i++)
			buf_addf(&known, "%s%s", i ? ", " : "", remote_cfg_keys[i].key);
		e = err_hint(err_new(CAIRN_ERR_USAGE, "unknown remote setting '%s'", key),
			     "known settings: %s", known.s);
		buf_release(&known);
		free(norm);
		return e;
	}
	free(norm);
	full = xasprintf("remote.%s.%s", name, remote_cfg_keys[i].key);
	if (config_key_is_secret(full)) {
		if (level == CONFIG_GLOBAL || level == CONFIG_SYSTEM)
			e = err_hint(err_new(CAIRN_ERR_USAGE,
					     "credentials are kept only in .cairn/config.local"),
				     "for credentials shared by repositories use an AWS profile: "
				     "cairn remote modify NAME profile PROFILE");
		*used = CONFIG_LOCAL;
	}
	if (e == NULL)
		e = remote_cfg_check(remote_cfg_keys[i].key, remote_cfg_keys[i].type, value);
	if (e == NULL)
		e = remote_cfg_check_value(full, value);
	if (e == NULL)
		e = config_set(c, *used, full, value);
	free(full);
	return e;
}

const struct cairn_error *remote_cfg_default(struct config *c, enum config_level level,
					     const char *name)
{
	const struct cairn_error *e = remote_cfg_require(c, name);

	return e ? e : config_set(c, level, "core.remote", name);
}
