/*
 * tests/fuzz/gitconfig.c: git-config text read from Git (a staged or
 * committed .cairn/config), parsed by libgit2 through config_text_foreach,
 * every entry's key normalised and checked for credentials as pre-commit
 * does.
 */
#include "buildconf.h"

#include <stdbool.h>

#include "core/config.h"
#include "core/gitutil.h"
#include "core/remote_cfg.h"
#include "tests/fuzz/fuzz.h"

static const struct cairn_error *fuzz_entry(const char *name, const char *value,
					    enum config_level level, void *arg)
{
	char *s = config_key_normalize(name);

	(void)level;
	(void)arg;
	(void)config_key_is_secret(s);
	free(s);
	s = remote_cfg_shown(name, value ? value : "");
	free(s);
	return NULL;
}

FUZZ_TARGET(gitconfig)
{
	const char *tmp = getenv("TMPDIR");

	gitutil_init();
	(void)config_text_foreach((const char *)data, size, tmp && *tmp ? tmp : "/tmp",
				  fuzz_entry, NULL);
	return 0;
}
