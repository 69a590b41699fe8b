/*
 * tests/fuzz/s3_xml.c: what an S3 server answers: error bodies, listing
 * pages, multipart upload ids and DeleteObjects results, and the
 * LastModified times inside them. Every reader gets the same bytes.
 */
#include "buildconf.h"

#include "remotes/s3_xml.h"
#include "tests/fuzz/fuzz.h"

static const struct cairn_error *fuzz_key(const char *key, int64_t mtime_ns, void *arg)
{
	(void)mtime_ns;
	(void)arg;
	return strlen(key) > 1000 ? err_new(CAIRN_ERR_REMOTE, "stop") : NULL;
}

FUZZ_TARGET(s3_xml)
{
	struct s3_xml_error e;
	bool truncated = false;
	char *next = NULL, *id = NULL, *s;
	size_t n = 0;

	if (s3_xml_error(&e, (const char *)data, size))
		s3_xml_error_release(&e);
	if (s3_xml_list(&truncated, &next, (const char *)data, size, fuzz_key, NULL) == NULL)
		free(next);
	if (s3_xml_upload_id(&id, (const char *)data, size) == NULL)
		free(id);
	(void)s3_xml_root_is((const char *)data, size, "ListBucketResult");
	memset(&e, 0, sizeof(e));
	if (s3_xml_delete_errors(&n, &e, (const char *)data, size) == NULL)
		s3_xml_error_release(&e);
	s = fuzz_str(data, size);
	(void)s3_xml_time(s);
	free(s);
	return 0;
}
