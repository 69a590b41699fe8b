/*
 * s3_cred.c: the credential chain (s3_cred.h). The shared files are read
 * with libinih. Debian's libinih reads lines of at most 199 bytes, shorter
 * than many session tokens, so the line reader handed to it serves a long
 * line in pieces: the first as it is, the others as continuation lines
 * marked with a leading \1, which the handler glues back onto the value
 * before. Comment lines are cut to their first piece.
 */
#include "buildconf.h"

#include "remotes/s3_cred.h"

#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/xmalloc.h"

#define S3_CRED_MARK '\1' /* starts the pieces of a long line after the first */

struct s3_ini_reader {
	FILE *f;
	char *line;     /* the current line */
	size_t cap;
	size_t len;     /* its length (with the newline) */
	size_t off;     /* bytes of it served */
	unsigned lineno;
	unsigned *chunk_line; /* the file line of each piece served */
	size_t nchunks, chunk_cap;
};

/* inih's reader: like fgets, but a long line comes in marked pieces. */
static char *s3_ini_read(char *str, int num, void *stream)
{
	struct s3_ini_reader *r = stream;
	size_t room, take;

	if (num < 8)
		return NULL;
	if (r->off >= r->len) {
		ssize_t n = getline(&r->line, &r->cap, r->f);
		const char *p;

		if (n <= 0)
			return NULL;
		r->len = (size_t)n;
		r->off = 0;
		r->lineno++;
		room = (size_t)num - 1;
		take = r->len < room ? r->len : room;
		memcpy(str, r->line, take);
		str[take] = '\0';
		r->off = take;
		p = r->line + strspn(r->line, " \t");
		if (*p == ';' || *p == '#')
			r->off = r->len; /* a comment: the rest of it does not matter */
	} else {
		room = (size_t)num - 3;
		take = r->len - r->off < room ? r->len - r->off : room;
		str[0] = ' ';
		str[1] = S3_CRED_MARK;
		memcpy(str + 2, r->line + r->off, take);
		str[take + 2] = '\0';
		r->off += take;
	}
	XGROW(r->chunk_line, r->nchunks + 1, r->chunk_cap);
	r->chunk_line[r->nchunks++] = r->lineno;
	return str;
}

/* What one file says about the wanted profile. */
struct s3_ini_ctx {
	const char *profile;
	bool config_file;   /* section names are "profile NAME" (and "default") */
	bool found;         /* the section exists */
	char *key, *secret, *token, *region;
	char **last;        /* the value the previous line set, for marked pieces */
};

static bool s3_ini_section_is(const struct s3_ini_ctx *c, const char *section)
{
	if (!c->config_file || strcmp(c->profile, "default") == 0)
		if (strcmp(section, c->profile) == 0)
			return true;
	return c->config_file && strncmp(section, "profile ", 8) == 0 &&
	       strcmp(section + 8 + strspn(section + 8, " "), c->profile) == 0;
}

static int s3_ini_handler(void *user, const char *section, const char *name, const char *value)
{
	struct s3_ini_ctx *c = user;
	char **slot = NULL;

	if (value[0] == S3_CRED_MARK) {
		if (c->last && *c->last) {
			char *joined = xasprintf("%s%s", *c->last, value + 1);

			free(*c->last);
			*c->last = joined;
		}
		return 1;
	}
	c->last = NULL;
	if (!s3_ini_section_is(c, section))
		return 1;
	c->found = true;
	if (strcmp(name, "aws_access_key_id") == 0)
		slot = &c->key;
	else if (strcmp(name, "aws_secret_access_key") == 0)
		slot = &c->secret;
	else if (strcmp(name, "aws_session_token") == 0 || strcmp(name, "aws_security_token") == 0)
		slot = &c->token;
	else if (strcmp(name, "region") == 0)
		slot = &c->region;
	if (slot) {
		free(*slot);
		*slot = xstrdup(value);
		c->last = slot;
	}
	return 1;
}

/* Read path for the profile into c; a missing file is no error. */
static const struct cairn_error *s3_ini_read_file(struct s3_ini_ctx *c, const char *path)
{
	struct s3_ini_reader r;
	const struct cairn_error *e = NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((r.f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return NULL;
		return err_errno("cannot read '%s'", path);
	}
	rc = ini_parse_stream(s3_ini_read, &r, s3_ini_handler, c);
	if (rc > 0)
		e = err_new(CAIRN_ERR_FORMAT, "cannot parse '%s': line %u is not INI", path,
			    (size_t)rc <= r.nchunks ? r.chunk_line[rc - 1] : r.lineno);
	else if (rc < 0 || ferror(r.f))
		e = err_new(CAIRN_ERR_FAILED, "cannot read '%s'", path);
	fclose(r.f);
	free(r.line);
	free(r.chunk_line);
	return e;
}

static void s3_ini_ctx_release(struct s3_ini_ctx *c)
{
	free(c->key);
	free(c->secret);
	free(c->token);
	free(c->region);
}

/* $NAME (with a leading ~/ expanded), else ~/.aws/<file>. Caller frees. */
static char *s3_aws_file(const char *env, const char *file)
{
	const char *v = getenv(env), *home = getenv("HOME");

	if (home == NULL)
		home = "";
	if (v && *v) {
		if (v[0] == '~' && v[1] == '/')
			return xasprintf("%s%s", home, v + 1);
		return xstrdup(v);
	}
	return xasprintf("%s/.aws/%s", home, file);
}

static const char *s3_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Characters a key cannot carry into a signed request (S3.md, rule 8). */
static const struct cairn_error *s3_cred_check(const struct s3_cred *c)
{
	if (strpbrk(c->access_key_id, "\r\n,/ ") || c->access_key_id[0] == '\0')
		return err_new(CAIRN_ERR_FORMAT,
			       "the access key id from %s is empty or holds a space, ',', '/' or a "
			       "line break",
			       c->source);
	if (strpbrk(c->secret_access_key, "\r\n") || c->secret_access_key[0] == '\0')
		return err_new(CAIRN_ERR_FORMAT,
			       "the secret access key from %s is empty or holds a line break",
			       c->source);
	if (c->session_token && strpbrk(c->session_token, "\r\n"))
		return err_new(CAIRN_ERR_FORMAT, "the session token from %s holds a line break",
			       c->source);
	return NULL;
}

static void s3_cred_set(struct s3_cred *out, const char *key, const char *secret,
			const char *token, char *source)
{
	out->access_key_id = xstrdup(key);
	out->secret_access_key = xstrdup(secret);
	out->session_token = token && *token ? xstrdup(token) : NULL;
	out->source = source;
}

const struct cairn_error *s3_cred_resolve(struct s3_cred *out, const struct s3_cred_conf *conf)
{
	const struct cairn_error *e = NULL;
	struct s3_ini_ctx cr, cf;
	const char *profile = conf->profile, *key, *secret;
	const char *remote = conf->remote ? conf->remote : "?";
	char *credfile = NULL, *conffile = NULL;
	bool named = true;

	memset(out, 0, sizeof(*out));
	memset(&cr, 0, sizeof(cr));
	memset(&cf, 0, sizeof(cf));
	if (profile == NULL || *profile == '\0')
		profile = s3_env("AWS_PROFILE");
	if (profile == NULL) {
		profile = "default";
		named = false;
	}
	/* The profile's files are read in every case: they may hold the region. */
	credfile = s3_aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
	conffile = s3_aws_file("AWS_CONFIG_FILE", "config");
	cr.profile = cf.profile = profile;
	cf.config_file = true;
	if ((e = s3_ini_read_file(&cr, credfile)) != NULL ||
	    (e = s3_ini_read_file(&cf, conffile)) != NULL)
		goto done;
	if (cf.region)
		out->region = xstrdup(cf.region);

	/* 1. cairn's configuration */
	if (conf->access_key_id || conf->secret_access_key) {
		if (!conf->access_key_id || !conf->secret_access_key) {
			e = err_new(CAIRN_ERR_AUTH, "remote '%s' has %s but no %s", remote,
				    conf->access_key_id ? "an access_key_id" : "a secret_access_key",
				    conf->access_key_id ? "secret_access_key" : "access_key_id");
			goto done;
		}
		s3_cred_set(out, conf->access_key_id, conf->secret_access_key,
			    conf->session_token,
			    xasprintf("the configuration of remote '%s'", remote));
		goto check;
	}
	/* 2. the environment */
	key = s3_env("AWS_ACCESS_KEY_ID");
	secret = s3_env("AWS_SECRET_ACCESS_KEY");
	if (key || secret) {
		if (!key || !secret) {
			e = err_new(CAIRN_ERR_AUTH, "%s is set but %s is not",
				    key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
				    key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
			goto done;
		}
		s3_cred_set(out, key, secret, s3_env("AWS_SESSION_TOKEN"),
			    xstrdup("the environment (AWS_ACCESS_KEY_ID)"));
		goto check;
	}
	/* 3. the profile: the credentials file first, then the config file */
	if (cr.key || cr.secret || cf.key || cf.secret) {
		struct s3_ini_ctx *c = (cr.key || cr.secret) ? &cr : &cf;

		if (!c->key || !c->secret) {
			e = err_new(CAIRN_ERR_AUTH, "profile '%s' in '%s' has %s but no %s", profile,
				    c == &cr ? credfile : conffile,
				    c->key ? "aws_access_key_id" : "aws_secret_access_key",
				    c->key ? "aws_secret_access_key" : "aws_access_key_id");
			goto done;
		}
		s3_cred_set(out, c->key, c->secret, c->token,
			    xasprintf("profile '%s' in '%s'", profile,
				      c == &cr ? credfile : conffile));
		goto check;
	}
	if (named && !cr.found && !cf.found) {
		e = err_hint(err_new(CAIRN_ERR_AUTH, "no AWS profile '%s' in '%s' or '%s'", profile,
				     credfile, conffile),
			     "check the remote's profile setting and AWS_PROFILE");
		goto done;
	}
	if (named) {
		e = err_hint(err_new(CAIRN_ERR_AUTH,
				     "AWS profile '%s' has no aws_access_key_id and "
				     "aws_secret_access_key",
				     profile),
			     "cairn reads static keys only (no credential_process, SSO or roles)");
		goto done;
	}
	e = err_hint(err_new(CAIRN_ERR_AUTH, "no S3 credentials for remote '%s'", remote),
		     "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in "
		     "~/.aws/credentials, or the remote's access_key_id and secret_access_key "
		     "in .cairn/config.local");
	goto done;
check:
	e = s3_cred_check(out);
done:
	if (e)
		s3_cred_release(out);
	s3_ini_ctx_release(&cr);
	s3_ini_ctx_release(&cf);
	free(credfile);
	free(conffile);
	return e;
}

void s3_cred_release(struct s3_cred *c)
{
	if (c == NULL)
		return;
	if (c->secret_access_key)
		memset(c->secret_access_key, 0, strlen(c->secret_access_key));
	free(c->access_key_id);
	free(c->secret_access_key);
	free(c->session_token);
	free(c->region);
	free(c->source);
	c->access_key_id = c->secret_access_key = c->session_token = c->region = c->source = NULL;
}
