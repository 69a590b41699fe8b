/*
 * remote.c: opening a remote by name. remote.<name>.url in the
 * configuration picks the backend by its scheme (a path or file:// is a
 * local folder, s3:// is S3, http(s):// is read-only HTTP); core.remote
 * names the default. Also the object key layout shared by every backend,
 * sha256/<2 hex>/<62 hex>.
 */
#include "buildconf.h"

#include "remotes/remote.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/par.h"
#include "core/remote_cfg.h"
#include "core/xmalloc.h"
#include "remotes/http.h"
#include "remotes/local.h"
#include "remotes/s3.h"

const char *remote_url_kind(const char *url)
{
	const char *colon = strstr(url, "://");
	const char *slash = strchr(url, '/');

	if (strncasecmp(url, "s3://", 5) == 0)
		return "s3";
	if (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0)
		return "http";
	if (strncasecmp(url, "file://", 7) == 0)
		return "local";
	/* any other scheme (ssh://, gs://) is unknown; "a/b://c" is a path */
	if (colon && (slash == NULL || slash > colon))
		return NULL;
	return "local";
}

static const struct cairn_error *remote_open_kind(struct remote **out, const char *name,
						  const char *url, struct config *cfg,
						  const char *root)
{
	const char *kind = remote_url_kind(url);

	if (kind == NULL)
		return err_hint(err_new(CAIRN_ERR_USAGE, "remote '%s': unsupported URL '%s'", name, url),
				"use a folder path, file://, s3:// or http(s)://");
	if (strcmp(kind, "local") == 0)
		return local_remote_open(out, name, url, cfg, root);
	if (strcmp(kind, "s3") == 0)
		return s3_remote_open(out, name, url, cfg, root);
	return http_remote_open(out, name, url, cfg, root);
}

const struct cairn_error *remote_open(struct remote **out, struct config *cfg, const char *name,
				      const char *root)
{
	const struct cairn_error *e;
	char *def = NULL, *url = NULL, *key;
	int64_t jobs;

	*out = NULL;
	if (name == NULL) {
		if ((e = config_get_str(&def, cfg, "core.remote")) != NULL)
			return e;
		if (def == NULL || *def == '\0') {
			free(def);
			return err_hint(err_new(CAIRN_ERR_NOT_FOUND, "no default remote"),
					"name one with -r NAME, or set one: cairn remote default NAME");
		}
		name = def;
	}
	key = xasprintf("remote.%s.url", name);
	e = config_get_str(&url, cfg, key);
	free(key);
	if (e == NULL && url == NULL)
		e = err_hint(err_new(CAIRN_ERR_NOT_FOUND, "no remote '%s'", name),
			     def ? "core.remote names it; see 'cairn remote list'"
				 : "see 'cairn remote list', or add one: cairn remote add NAME URL");
	else if (e == NULL && *url == '\0')
		e = err_new(CAIRN_ERR_FORMAT, "remote '%s' has an empty url", name);
	else if (e == NULL && remote_cfg_url_has_userinfo(url)) /* never let a backend print it */
		e = err_hint(err_new(CAIRN_ERR_FORMAT,
				     "remote '%s': the URL holds credentials; cairn does not use them",
				     name),
			     "give the URL without them: cairn remote modify %s url URL", name);
	if (e == NULL)
		e = remote_open_kind(out, name, url, cfg, root);
	if (e == NULL) {
		key = xasprintf("remote.%s.jobs", name);
		e = config_get_int(&jobs, cfg, key, 0);
		free(key);
		if (e == NULL && (jobs < 0 || jobs > REMOTE_CFG_JOBS_MAX))
			e = err_new(CAIRN_ERR_FORMAT, "remote.%s.jobs: '%lld' is not a number from 1 to %d",
				    name, (long long)jobs, REMOTE_CFG_JOBS_MAX);
		if (e == NULL && jobs > 0)
			(*out)->jobs = (int)jobs;
		if (e == NULL && (*out)->jobs <= 0)
			(*out)->jobs = par_ncpu();
		if (e) {
			remote_close(*out);
			*out = NULL;
		}
	}
	free(url);
	free(def);
	return e;
}

void remote_close(struct remote *r)
{
	if (r)
		r->ops->close(r);
}

char *remote_object_key(const struct oid *id)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	oid_tohex(hex, id);
	return xasprintf("sha256/%.2s/%s", hex, hex + 2);
}

bool remote_parse_key(struct oid *id, const char *key)
{
	char hex[CAIRN_OID_HEXLEN + 1];

	if (strncmp(key, "sha256/", 7) != 0)
		return false;
	key += 7;
	if (strlen(key) != CAIRN_OID_HEXLEN + 1 || key[2] != '/')
		return false;
	memcpy(hex, key, 2);
	memcpy(hex + 2, key + 3, CAIRN_OID_HEXLEN - 2);
	hex[CAIRN_OID_HEXLEN] = '\0';
	return oid_fromhex(id, hex);
}
