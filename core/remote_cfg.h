/*
 * remote_cfg.h: the remotes named in the configuration (cairn-config(5)):
 * remote.<name>.url and the remote's other settings, and core.remote, the
 * default remote. The policy behind 'cairn remote': valid names, known
 * settings and their types, and credentials kept in .cairn/config.local
 * whatever level was asked for. Not thread-safe.
 */
#ifndef CAIRN_CORE_REMOTE_CFG_H
#define CAIRN_CORE_REMOTE_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/error.h"

struct remote_cfg_entry {
	char *name;
	char *url;
	enum config_level level; /* where its url is set */
	bool is_default;         /* core.remote names it */
};

struct remote_cfg_list {
	struct remote_cfg_entry *v; /* sorted by name */
	size_t n, cap;
};

#define REMOTE_CFG_LIST_INIT { NULL, 0, 0 }

/* Parallel transfers at most, for -j and remote.<name>.jobs. */
#define REMOTE_CFG_JOBS_MAX 256

/* A name is letters, digits, '.', '_' and '-', at most 64, not starting with '.' or '-'. */
bool remote_cfg_name_ok(const char *name);

/*
 * Parse a number of parallel transfers (-j, remote.<name>.jobs): 1 to
 * REMOTE_CFG_JOBS_MAX. USAGE naming what ("--jobs") and the text otherwise.
 */
const struct cairn_error *remote_cfg_jobs(int *out, const char *what, const char *text);

/* True when url names a user or password before its host ("https://u:p@host/x"). */
bool remote_cfg_url_has_userinfo(const char *url);

/*
 * USAGE when a remote's url holds credentials: a URL is committed and
 * printed, so credentials go to the remote's own settings in config.local.
 */
const struct cairn_error *remote_cfg_check_url(const char *name, const char *url);

/*
 * A setting's value as cairn may print it (caller frees): credentials as
 * "********", and a remote's url or endpoint with the user and password
 * masked.
 */
char *remote_cfg_shown(const char *key, const char *value);

/* USAGE when key may not take value (remote.NAME.url or .endpoint with credentials). */
const struct cairn_error *remote_cfg_check_value(const char *key, const char *value);

/* Every remote with a url at any level. */
const struct cairn_error *remote_cfg_list(struct remote_cfg_list *l, struct config *c);
void remote_cfg_list_release(struct remote_cfg_list *l);

/* Add remote name with url at level; EXISTS when it is configured already. */
const struct cairn_error *remote_cfg_add(struct config *c, enum config_level level,
					 const char *name, const char *url);

/*
 * Remove every setting of remote name from the repository's two files (and
 * the user's file with global), and core.remote where it names it.
 * NOT_FOUND when nothing was removed.
 */
const struct cairn_error *remote_cfg_remove(struct config *c, const char *name, bool global);

/*
 * Set remote.<name>.<key> (key spelled as typed: secret_access_key works) at
 * level, checking that the remote exists, the key is known and the value
 * has its type. A credential always goes to CONFIG_LOCAL; *used says where
 * it went. USAGE for an unknown key or a bad value.
 */
const struct cairn_error *remote_cfg_set(enum config_level *used, struct config *c,
					 enum config_level level, const char *name,
					 const char *key, const char *value);

/* Make name (which must exist) the default remote: core.remote at level. */
const struct cairn_error *remote_cfg_default(struct config *c, enum config_level level,
					     const char *name);

#endif
