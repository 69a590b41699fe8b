/*
 * tests/unit/s3_req.c: the signing inputs libcurl 7.88 signs as given
 * (../shared/S3.md rules 2 and 3): strict key and query encoding, the
 * canonical query with fixed inputs, continuation tokens, and the URLs of
 * path-style and virtual-host addressing.
 */
#include "buildconf.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "remotes/s3_req.h"
#include "tests/unit/tap.h"

static char *enc(const char *s, bool keep_slash)
{
	struct buf b = BUF_INIT;

	s3_encode(&b, s, strlen(s), keep_slash);
	return buf_detach(&b);
}

static void test_s3_req__encode_keys(void)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "sha256/ab/cdef", "sha256/ab/cdef" },
		{ "a b+c%d/x", "a%20b%2Bc%25d/x" },
		{ "p/(x)!*'~.-_", "p/%28x%29%21%2A%27~.-_" },
		{ "=&;,@$:", "%3D%26%3B%2C%40%24%3A" },
		{ "\xc3\xbc" "n\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9", "%C3%BCn%C3%AFc%C3%B8d%C3%A9" },
		{ "dir/../x//y/", "dir/../x//y/" },
		{ "#?[]", "%23%3F%5B%5D" },
		{ "", "" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		s = enc(v[i].in, true);
		is_str(s, v[i].out, "a key keeps only unreserved bytes and '/'");
		free(s);
	}
	s = enc("a/b c", false);
	is_str(s, "a%2Fb%20c", "a query value encodes '/' too");
	free(s);
	s = enc("\x01\x7f\xff", false);
	is_str(s, "%01%7F%FF", "control and high bytes use upper-case hex");
	free(s);
}

static void test_s3_req__decode(void)
{
	struct buf b = BUF_INIT;

	ok(s3_decode(&b, "a%20b%2Bc%2fd+e", 15), "escapes decode");
	is_str(b.s, "a b+c/d+e", "'+' stays a '+'; lower-case hex is read");
	buf_reset(&b);
	ok(!s3_decode(&b, "a%2", 3), "a cut escape is refused");
	ok(!s3_decode(&b, "%zz", 3), "a bad escape is refused");
	buf_release(&b);
}

static void test_s3_req__canonical_query(void)
{
	struct s3_query q = S3_QUERY_INIT;
	char *s;

	s = s3_query_build(&q);
	is_str(s, "", "no parameters: an empty query");
	free(s);

	s3_query_add(&q, "uploads", NULL);
	s = s3_query_build(&q);
	is_str(s, "uploads=", "a valueless parameter gets its '='");
	free(s);
	s3_query_release(&q);

	s3_query_add(&q, "prefix", "p q/sha256/ab/");
	s3_query_add(&q, "list-type", "2");
	s3_query_add(&q, "continuation-token", "1ab+/cd==");
	s3_query_add(&q, "start-after", "x~y*z");
	s = s3_query_build(&q);
	is_str(s,
	       "continuation-token=1ab%2B%2Fcd%3D%3D&list-type=2&prefix=p%20q%2Fsha256%2Fab%2F&"
	       "start-after=x~y%2Az",
	       "sorted by name, every value strictly encoded, a base64 token included");
	free(s);
	s3_query_release(&q);

	s3_query_add(&q, "uploadId", "Zm9v+YmFy");
	s3_query_add(&q, "partNumber", "10");
	s = s3_query_build(&q);
	is_str(s, "partNumber=10&uploadId=Zm9v%2BYmFy", "upper-case names sort as bytes");
	free(s);
	s3_query_release(&q);

	s3_query_add(&q, "b", "2");
	s3_query_add(&q, "a b", "1");
	s3_query_add(&q, "b", "1");
	s = s3_query_build(&q);
	is_str(s, "a%20b=1&b=1&b=2", "names are encoded before sorting; equal names by value");
	free(s);
	s3_query_release(&q);
}

static void test_s3_req__urls(void)
{
	struct s3_loc l;
	char *u, *sig;

	ok_noerr(s3_loc_init(&l, "s3://bucket/pre/fix/", "http://127.0.0.1:18230", NULL, -1),
		 "an endpoint remote");
	ok(l.path_style, "a custom endpoint is path style by default");
	is_str(l.prefix, "pre/fix/", "the prefix ends in one '/'");
	is_str(l.region, "us-east-1", "the default region");
	u = s3_loc_url(&l, "pre/fix/a b+", NULL);
	is_str(u, "http://127.0.0.1:18230/bucket/pre/fix/a%20b%2B", "a path-style object URL");
	free(u);
	u = s3_loc_url(&l, NULL, "list-type=2");
	is_str(u, "http://127.0.0.1:18230/bucket?list-type=2", "a path-style bucket URL");
	free(u);
	sig = s3_loc_sigv4(&l);
	is_str(sig, "aws:amz:us-east-1:s3", "the signer's parameter");
	free(sig);
	s3_loc_release(&l);

	ok_noerr(s3_loc_init(&l, "s3://my-bucket", NULL, "eu-west-1", -1), "an AWS remote");
	ok(!l.path_style, "AWS is virtual-host style by default");
	is_str(l.prefix, "", "no prefix");
	u = s3_loc_url(&l, "sha256/ab/cd", NULL);
	is_str(u, "https://my-bucket.s3.eu-west-1.amazonaws.com/sha256/ab/cd",
	       "a virtual-host object URL");
	free(u);
	u = s3_loc_url(&l, NULL, "list-type=2&prefix=x");
	is_str(u, "https://my-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&prefix=x",
	       "a virtual-host bucket URL");
	free(u);
	s3_loc_release(&l);

	ok_noerr(s3_loc_init(&l, "s3://my.dotted.bucket/p", NULL, NULL, -1), "a dotted bucket");
	ok(l.path_style, "a bucket that is no DNS label falls back to path style");
	u = s3_loc_url(&l, "p/k", NULL);
	is_str(u, "https://s3.us-east-1.amazonaws.com/my.dotted.bucket/p/k", "its URL");
	free(u);
	s3_loc_release(&l);

	is_err(s3_loc_init(&l, "s3://my.dotted.bucket/p", NULL, NULL, 0), CAIRN_ERR_FORMAT,
	       "virtual-host style forced on a dotted bucket is refused");
	ok_noerr(s3_loc_init(&l, "s3://bkt//p//", "minio.example:9000/base/", "r1", 0),
		 "virtual-host style with an endpoint");
	u = s3_loc_url(&l, "p/k", NULL);
	is_str(u, "https://bkt.minio.example:9000/base/p/k",
	       "a schemeless endpoint is https, its path kept");
	is_str(l.prefix, "p/", "slashes around the prefix are dropped");
	free(u);
	s3_loc_release(&l);

	is_err(s3_loc_init(&l, "s3://", NULL, NULL, -1), CAIRN_ERR_FORMAT, "no bucket");
	is_err(s3_loc_init(&l, "s3://a?b/c", NULL, NULL, -1), CAIRN_ERR_FORMAT, "a bad bucket");
	is_err(s3_loc_init(&l, "http://b/c", NULL, NULL, -1), CAIRN_ERR_FORMAT, "not s3://");
	is_err(s3_loc_init(&l, "s3://b", "ftp://x", NULL, -1), CAIRN_ERR_FORMAT,
	       "an endpoint that is not http(s)");
	is_err(s3_loc_init(&l, "s3://b", "http://u:p@x", NULL, -1), CAIRN_ERR_FORMAT,
	       "an endpoint with a user name");
	is_err(s3_loc_init(&l, "s3://b", NULL, "us-east-1:x", -1), CAIRN_ERR_FORMAT,
	       "a region that would break the signer's parameter");
}

int main(void)
{
	TAP_RUN(test_s3_req__encode_keys);
	TAP_RUN(test_s3_req__decode);
	TAP_RUN(test_s3_req__canonical_query);
	TAP_RUN(test_s3_req__urls);
	return tap_done();
}
