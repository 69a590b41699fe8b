/*
 * tests/unit/remote_cfg.c: remote names, add/list/remove/default, known
 * settings and their types, credentials sent to config.local, and the key
 * spellings of core/config (snake_case to camelCase, which keys are secret).
 */
#include "buildconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/gitutil.h"
#include "core/remote_cfg.h"
#include "tests/unit/tap.h"

static char *dir;

static void test_remote_cfg__names(void)
{
	ok(remote_cfg_name_ok("origin") && remote_cfg_name_ok("s3.eu-west_1"), "plain names");
	ok(!remote_cfg_name_ok("") && !remote_cfg_name_ok("-x") && !remote_cfg_name_ok(".x"),
	   "empty, leading '-' or '.'");
	ok(!remote_cfg_name_ok("a b") && !remote_cfg_name_ok("a/b") && !remote_cfg_name_ok("a\"b"),
	   "spaces, slashes, quotes");
	ok(!remote_cfg_name_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	   "65 characters");
}

static void test_remote_cfg__keys(void)
{
	char *k = config_key_normalize("remote.s_3.secret_access_key");

	is_str(k, "remote.s_3.secretAccessKey", "snake_case becomes camelCase after the last dot");
	free(k);
	k = config_key_normalize("core.jobs");
	is_str(k, "core.jobs", "other keys stay");
	free(k);
	ok(config_key_is_secret("remote.x.secretaccesskey") &&
	   config_key_is_secret("remote.x.session_token") &&
	   config_key_is_secret("remote.x.accessKeyId"), "credentials in any spelling");
	ok(!config_key_is_secret("remote.x.url") && !config_key_is_secret("remote.secretaccesskey.url"),
	   "other keys are not secret, whatever the remote's name");
}

static void test_remote_cfg__url_credentials(void)
{
	const struct cairn_error *e;
	char *s;

	ok(remote_cfg_url_has_userinfo("https://u:p@host/x") &&
	   remote_cfg_url_has_userinfo("s3://KEY:SECRET@bucket/p") &&
	   remote_cfg_url_has_userinfo("file://u@localhost/tmp"), "a user or password before the host");
	ok(!remote_cfg_url_has_userinfo("https://host/a@b") &&
	   !remote_cfg_url_has_userinfo("../store@2") && !remote_cfg_url_has_userinfo("/a@b/c") &&
	   !remote_cfg_url_has_userinfo("https://host?x=a@b"), "an '@' past the host, or a path");
	e = remote_cfg_check_url("r", "s3://K:SEKRIT@b/p");
	ok(e && e->code == CAIRN_ERR_USAGE && !strstr(e->msg, "SEKRIT") &&
	   (e->hint == NULL || !strstr(e->hint, "SEKRIT")), "refused, without repeating it");
	s = remote_cfg_shown("remote.r.url", "https://user:hunter2@host:8080/p");
	is_str(s, "https://********@host:8080/p", "a url is shown without its user and password");
	free(s);
	s = remote_cfg_shown("remote.r.url", "https://a@b:c@host/p");
	is_str(s, "https://********@host/p", "up to the last '@' before the host");
	free(s);
	s = remote_cfg_shown("Remote.r.Endpoint", "http://k:s@127.0.0.1:9000");
	is_str(s, "http://********@127.0.0.1:9000", "an endpoint too, in any spelling");
	free(s);
	s = remote_cfg_shown("remote.r.secretAccessKey", "SEKRIT");
	is_str(s, "********", "a credential is masked whole");
	free(s);
	s = remote_cfg_shown("core.url", "https://u:p@host/");
	is_str(s, "https://u:p@host/", "other keys are shown as they are");
	free(s);
	is_err(remote_cfg_check_value("remote.x.URL", "https://u:p@h/"), CAIRN_ERR_USAGE,
	       "config refuses it for remote.NAME.url");
	ok_noerr(remote_cfg_check_value("remote.x.url", "https://h/"), "and takes a clean one");
}

static void test_remote_cfg__lifecycle(void)
{
	char *cairn = fs_join(dir, ".cairn"), *local = fs_join(cairn, "config.local");
	struct remote_cfg_list l;
	struct config *cfg;
	enum config_level used;
	struct buf b = BUF_INIT;
	char *v = NULL;

	if (fs_mkdirs(cairn, 0777) || config_open(&cfg, cairn))
		bail("config");
	ok_noerr(remote_cfg_add(cfg, CONFIG_REPO, "origin", "/store"), "add");
	is_err(remote_cfg_add(cfg, CONFIG_REPO, "origin", "/else"), CAIRN_ERR_EXISTS, "add twice");
	is_err(remote_cfg_add(cfg, CONFIG_REPO, "a b", "/x"), CAIRN_ERR_USAGE, "a bad name");
	is_err(remote_cfg_add(cfg, CONFIG_REPO, "s3", "s3://K:S@bucket"), CAIRN_ERR_USAGE,
	       "a URL with credentials");
	ok_noerr(remote_cfg_add(cfg, CONFIG_LOCAL, "mine", "/mine"), "add at the local level");
	ok_noerr(remote_cfg_default(cfg, CONFIG_REPO, "origin"), "default");
	is_err(remote_cfg_default(cfg, CONFIG_REPO, "nope"), CAIRN_ERR_NOT_FOUND, "default unknown");
	ok_noerr(remote_cfg_list(&l, cfg), "list");
	ok(l.n == 2 && strcmp(l.v[0].name, "mine") == 0 && l.v[0].level == CONFIG_LOCAL &&
	   l.v[1].is_default && strcmp(l.v[1].url, "/store") == 0, "sorted, with levels and default");
	remote_cfg_list_release(&l);
	ok_noerr(remote_cfg_set(&used, cfg, CONFIG_REPO, "origin", "multipart_threshold", "64m"),
		 "a size setting");
	is_err(remote_cfg_set(&used, cfg, CONFIG_REPO, "origin", "jobs", "0"), CAIRN_ERR_USAGE,
	       "jobs 0");
	is_err(remote_cfg_set(&used, cfg, CONFIG_REPO, "origin", "endpointurl", "x"), CAIRN_ERR_USAGE,
	       "an unknown setting");
	ok_noerr(remote_cfg_set(&used, cfg, CONFIG_REPO, "origin", "secret_access_key", "SEKRIT"),
		 "a credential");
	ok(used == CONFIG_LOCAL, "... went to config.local");
	buf_init(&b);
	ok(fs_read_file(&b, local, 1 << 16) == NULL && strstr(b.s, "secretAccessKey = SEKRIT"),
	   "... spelled camelCase there");
	buf_release(&b);
	is_err(remote_cfg_set(&used, cfg, CONFIG_GLOBAL, "origin", "session_token", "T"),
	       CAIRN_ERR_USAGE, "a credential at the global level is refused");
	ok_noerr(remote_cfg_remove(cfg, "origin", false), "remove");
	ok(config_get_str(&v, cfg, "remote.origin.secretAccessKey") == NULL && v == NULL,
	   "its credential is gone too");
	ok(config_get_str(&v, cfg, "core.remote") == NULL && v == NULL, "and core.remote");
	is_err(remote_cfg_remove(cfg, "origin", false), CAIRN_ERR_NOT_FOUND, "remove twice");
	config_close(cfg);
	free(cairn);
	free(local);
}

int main(void)
{
	gitutil_init();
	dir = tap_tmpdir();
	TAP_RUN(test_remote_cfg__names);
	TAP_RUN(test_remote_cfg__keys);
	TAP_RUN(test_remote_cfg__url_credentials);
	TAP_RUN(test_remote_cfg__lifecycle);
	tap_rmtree(dir);
	return tap_done();
}
