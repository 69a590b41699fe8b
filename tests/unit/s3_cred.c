/*
 * tests/unit/s3_cred.c: the credential chain with fixed files and
 * environments: configuration first, then AWS_* variables, then profiles
 * of the shared credentials and config files (a session token longer than
 * libinih's line limit included), and every refusal, none of which may
 * print a secret.
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "remotes/s3_cred.h"
#include "tests/unit/tap.h"

static char *dir, *credfile, *conffile;

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		bail("cannot write %s", path);
}

static void clean_env(void)
{
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_PROFILE");
	setenv("AWS_SHARED_CREDENTIALS_FILE", credfile, 1);
	setenv("AWS_CONFIG_FILE", conffile, 1);
	remove(credfile);
	remove(conffile);
}

static const struct cairn_error *resolve(struct s3_cred *c, const char *key, const char *secret,
					 const char *token, const char *profile)
{
	struct s3_cred_conf cc = { "r", key, secret, token, profile };

	return s3_cred_resolve(c, &cc);
}

static void no_secret(const struct cairn_error *e, const char *secret)
{
	ok(e && !strstr(e->msg, secret) && (!e->hint || !strstr(e->hint, secret)),
	   "the message holds no secret");
}

static void test_s3_cred__config_first(void)
{
	struct s3_cred c;

	clean_env();
	setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	ok_noerr(resolve(&c, "test:tester", "testing", "tok", NULL), "configured keys");
	is_str(c.access_key_id, "test:tester", "a key with a colon is kept whole");
	is_str(c.secret_access_key, "testing", "the configured secret wins over the environment");
	is_str(c.session_token, "tok", "with its session token");
	ok(strstr(c.source, "configuration") != NULL, "the source is named");
	s3_cred_release(&c);
	no_secret(resolve(&c, "k", NULL, NULL, NULL), "envsecret");
	is_err(resolve(&c, NULL, "sec", NULL, NULL), CAIRN_ERR_AUTH,
	       "a configured secret without a key is refused");
}

static void test_s3_cred__environment(void)
{
	struct s3_cred c;
	const struct cairn_error *e;

	clean_env();
	put(credfile, "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = fs\n");
	setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env/secret+x", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	ok_noerr(resolve(&c, NULL, NULL, NULL, NULL), "keys from the environment");
	is_str(c.access_key_id, "ENVKEY", "the environment wins over the files");
	is_str(c.secret_access_key, "env/secret+x", "a secret may hold '/' and '+'");
	is_str(c.session_token, "envtoken", "AWS_SESSION_TOKEN");
	s3_cred_release(&c);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	e = resolve(&c, NULL, NULL, NULL, NULL);
	is_err(e, CAIRN_ERR_AUTH, "AWS_ACCESS_KEY_ID alone is refused");
	ok(e && strstr(e->msg, "AWS_SECRET_ACCESS_KEY"), "naming what is missing");
	setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t", 1);
	setenv("AWS_ACCESS_KEY_ID", "bad,key", 1);
	e = resolve(&c, NULL, NULL, NULL, NULL);
	is_err(e, CAIRN_ERR_FORMAT, "an access key with ',' is refused");
	no_secret(e, "s3cr3t");
	setenv("AWS_ACCESS_KEY_ID", "", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "", 1);
	ok_noerr(resolve(&c, NULL, NULL, NULL, NULL), "empty variables count as unset");
	is_str(c.access_key_id, "FILEKEY", "so the profile is used");
	s3_cred_release(&c);
}

static void test_s3_cred__profiles(void)
{
	struct s3_cred c;
	struct buf b = BUF_INIT;
	const struct cairn_error *e;
	char *longtok;
	int i;

	clean_env();
	for (i = 0; i < 700; i++)
		buf_addch(&b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64]);
	longtok = buf_detach(&b);
	buf_addf(&b,
		 "# comment ; with stuff that is long %0300d\n"
		 "[default]\naws_access_key_id=DEFKEY\naws_secret_access_key=defsecret\n\n"
		 "[work]\n  aws_access_key_id = WORKKEY \n"
		 "aws_secret_access_key = work/secret\naws_session_token = %s\n"
		 "[half]\naws_access_key_id = HALF\n",
		 0, longtok);
	put(credfile, b.s);
	buf_release(&b);
	put(conffile, "[default]\nregion = eu-west-3\ns3 =\n    addressing_style = path\n"
		      "[profile cfgonly]\naws_access_key_id = CFGKEY\n"
		      "aws_secret_access_key = cfgsecret\nregion = ap-south-1\n"
		      "[profile sso]\nsso_start_url = https://x\n");

	ok_noerr(resolve(&c, NULL, NULL, NULL, NULL), "the default profile");
	is_str(c.access_key_id, "DEFKEY", "its key");
	is_str(c.region, "eu-west-3", "the region of [default] in the config file");
	s3_cred_release(&c);

	setenv("AWS_PROFILE", "work", 1);
	ok_noerr(resolve(&c, NULL, NULL, NULL, NULL), "AWS_PROFILE");
	is_str(c.access_key_id, "WORKKEY", "values are trimmed");
	is_str(c.session_token, longtok, "a 700-byte session token survives libinih's line limit");
	ok(strstr(c.source, "profile 'work'") != NULL, "the source names the profile");
	s3_cred_release(&c);

	ok_noerr(resolve(&c, NULL, NULL, NULL, "cfgonly"), "the profile setting beats AWS_PROFILE");
	is_str(c.access_key_id, "CFGKEY", "keys from [profile cfgonly] of the config file");
	is_str(c.region, "ap-south-1", "and its region");
	s3_cred_release(&c);

	e = resolve(&c, NULL, NULL, NULL, "half");
	is_err(e, CAIRN_ERR_AUTH, "a profile with half a key pair");
	e = resolve(&c, NULL, NULL, NULL, "nosuch");
	is_err(e, CAIRN_ERR_AUTH, "a named profile that does not exist");
	ok(e && strstr(e->msg, "nosuch"), "is named");
	e = resolve(&c, NULL, NULL, NULL, "sso");
	is_err(e, CAIRN_ERR_AUTH, "a profile without static keys");
	ok(e && e->hint && strstr(e->hint, "SSO"), "says what is not supported");
	free(longtok);
}

static void test_s3_cred__nothing(void)
{
	struct s3_cred c;
	const struct cairn_error *e;
	char *home = xasprintf("%s/home", dir), *aws = xasprintf("%s/home/.aws", dir);
	char *f = xasprintf("%s/home/.aws/credentials", dir);

	clean_env();
	e = resolve(&c, NULL, NULL, NULL, NULL);
	is_err(e, CAIRN_ERR_AUTH, "no keys anywhere");
	ok(e && strstr(e->msg, "'r'") && e->hint && strstr(e->hint, "AWS_ACCESS_KEY_ID"),
	   "one line naming the remote, a hint naming the ways");

	put(credfile, "[default]\nthis line is not ini\n");
	is_err(resolve(&c, NULL, NULL, NULL, NULL), CAIRN_ERR_FORMAT, "a malformed file");

	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	unsetenv("AWS_CONFIG_FILE");
	setenv("HOME", home, 1);
	if (mkdir(home, 0700) != 0 || mkdir(aws, 0700) != 0)
		bail("mkdir %s", aws);
	put(f, "[default]\naws_access_key_id = HOMEKEY\naws_secret_access_key = h\n");
	ok_noerr(resolve(&c, NULL, NULL, NULL, NULL), "~/.aws/credentials by default");
	is_str(c.access_key_id, "HOMEKEY", "its key");
	s3_cred_release(&c);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials", 1);
	ok_noerr(resolve(&c, NULL, NULL, NULL, NULL), "a leading ~/ is expanded");
	s3_cred_release(&c);
	free(home);
	free(aws);
	free(f);
}

int main(void)
{
	dir = tap_tmpdir();
	credfile = xasprintf("%s/credentials", dir);
	conffile = xasprintf("%s/config", dir);
	TAP_RUN(test_s3_cred__config_first);
	TAP_RUN(test_s3_cred__environment);
	TAP_RUN(test_s3_cred__profiles);
	TAP_RUN(test_s3_cred__nothing);
	free(credfile);
	free(conffile);
	tap_rmtree(dir);
	return tap_done();
}
