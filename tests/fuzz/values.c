/*
 * tests/fuzz/values.c: setting values and keys a committed .cairn/config may
 * hold, and the strings a remote hands back: key names (normalised,
 * secret or not), cache.type, gc.grace, jobs, remote names, URLs and their
 * credentials check, percent-decoding and object keys. Input: a key and a
 * value separated by a NUL byte.
 */
#include "buildconf.h"

#include <stdbool.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/gc.h"
#include "core/link.h"
#include "core/oid.h"
#include "core/par.h"
#include "core/remote_cfg.h"
#include "remotes/remote.h"
#include "remotes/s3_req.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(values)
{
	size_t pos = 0;
	char *k = fuzz_field(data, size, &pos), *v = fuzz_field(data, size, &pos), *s;
	struct link_types lt;
	struct oid id;
	int64_t ns;
	int jobs;
	struct buf b = BUF_INIT;

	s = config_key_normalize(k);
	free(s);
	(void)config_key_is_secret(k);
	(void)link_parse(&lt, v);
	(void)gc_parse_grace(&ns, v);
	(void)par_jobs_parse(&jobs, "--jobs", v, PAR_JOBS_MAX);
	(void)remote_cfg_jobs(&jobs, "--jobs", v);
	(void)remote_cfg_name_ok(k);
	(void)remote_cfg_url_has_userinfo(v);
	(void)remote_cfg_check_url(k, v);
	(void)remote_cfg_check_value(k, v);
	s = remote_cfg_shown(k, v);
	free(s);
	(void)remote_url_kind(v);
	(void)remote_parse_key(&id, v);
	(void)oid_fromhex(&id, v);
	buf_init(&b);
	(void)s3_decode(&b, v, strlen(v));
	buf_reset(&b);
	s3_encode(&b, v, strlen(v), true);
	buf_release(&b);
	free(v);
	free(k);
	return 0;
}
