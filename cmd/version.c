/*
 * version.c: cairn version: print the version, and with -v the versions
 * of the libraries cairn runs with. See cairn-version(1).
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <stdio.h>

#include <curl/curl.h>
#include <git2.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <yaml.h>
#include <zlib.h>

static const struct opt_spec version_opts[] = {
	{ 'v', "verbose", NULL, "also print the versions of the libraries cairn runs with" },
	{ 0, NULL, NULL, NULL },
};

enum { VERSION_VERBOSE };

static const struct cairn_error *cmd_version(struct cmd_ctx *c)
{
	int maj, min, rev;

	printf("cairn %s\n", PACKAGE_VERSION);
	if (c->verbose || opt_given(c, VERSION_VERBOSE)) {
		git_libgit2_version(&maj, &min, &rev);
		printf("libgit2 %d.%d.%d\n", maj, min, rev);
		printf("%s\n", curl_version());
		printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
		printf("libyaml %s\n", yaml_get_version_string());
		printf("jansson %s\n", JANSSON_VERSION);
		printf("sqlite %s\n", sqlite3_libversion());
		printf("zlib %s\n", zlibVersion());
	}
	return NULL;
}

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.args = "",
	.summary = "print the version of cairn",
	.opts = version_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = 0,
	.run = cmd_version,
};
