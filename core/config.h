/*
 * config.h: cairn settings in git-config syntax, read and written through
 * libgit2's config API (DESIGN 2). Levels, highest first: .cairn/config.local,
 * .cairn/config, $XDG_CONFIG_HOME/cairn/config (~/.config/cairn/config),
 * /etc/cairn/config. CAIRN_<SECTION>_<KEY> environment variables override
 * two-part keys for one run. One handle per thread.
 */
#ifndef CAIRN_CORE_CONFIG_H
#define CAIRN_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct config;

/* A committed .cairn/config larger than this is refused. */
#define CONFIG_MAX_BYTES (1u << 20)

enum config_level {
	CONFIG_SYSTEM = 1, /* /etc/cairn/config */
	CONFIG_GLOBAL,     /* the user's file */
	CONFIG_REPO,       /* .cairn/config (committed) */
	CONFIG_LOCAL,      /* .cairn/config.local (private) */
};

/*
 * Open every level; cairn_dir may be NULL outside a repository. The
 * committed level (.cairn/config) may not include other files: FORMAT.
 */
const struct cairn_error *config_open(struct config **out, const char *cairn_dir);
void config_close(struct config *c);

/* The file of a level (caller frees); NULL for CONFIG_REPO/LOCAL without a repository. */
char *config_level_path(const struct config *c, enum config_level level);

/* *out is a new string, or NULL when unset. Caller frees. */
const struct cairn_error *config_get_str(char **out, struct config *c, const char *key);
const struct cairn_error *config_get_bool(bool *out, struct config *c, const char *key, bool def);
const struct cairn_error *config_get_int(int64_t *out, struct config *c, const char *key,
					 int64_t def);

/* Set or unset a key at one level (written atomically by libgit2). */
const struct cairn_error *config_set(struct config *c, enum config_level level, const char *key,
				     const char *value);
const struct cairn_error *config_unset(struct config *c, enum config_level level,
				       const char *key);

/* Visit every entry (name, value, level) of one level, or all levels when level is 0. */
typedef const struct cairn_error *(*config_entry_cb)(const char *name, const char *value,
						     enum config_level level, void *arg);
const struct cairn_error *config_foreach(struct config *c, enum config_level level,
					 config_entry_cb cb, void *arg);
/*
 * Visit every entry of git-config text (a file's bytes read from Git; its
 * entries are given level CONFIG_REPO): libgit2 parses files only, so the
 * text goes through a private temp file in tmpdir. FORMAT when it does
 * not parse, or includes other files.
 */
const struct cairn_error *config_text_foreach(const char *text, size_t len, const char *tmpdir,
					      config_entry_cb cb, void *arg);

/*
 * Key names. Git-config variable names hold only letters, digits and '-',
 * so a user's snake_case spelling becomes camelCase in the part after the
 * last dot: "remote.s3.secret_access_key" -> "remote.s3.secretAccessKey"
 * (variable names are case-insensitive). Caller frees.
 */
char *config_key_normalize(const char *key);
/* True for credentials (accessKeyId, secretAccessKey, sessionToken, password): never printed, kept in config.local only. */
bool config_key_is_secret(const char *key);

#endif
