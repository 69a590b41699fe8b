#!/bin/sh
# t3110-s3-errors: every S3 failure is one clear error line (and at most one
# hint), exit 1, naming the bucket and the cause, never a secret: a wrong
# secret and unknown keys (C14), no credentials, a missing bucket, a wrong
# region, a bucket in another region answering 301 with an empty body
# (C17: nothing enters the cache, the workspace is kept), an unreachable
# endpoint, bad settings, sse. Then the credential chain: keys from AWS_* and
# from a profile of the shared files.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"
s3_setup

SECRET=Wr0ngS3cretXYZ
new_repo r && cd r
s3_remote s3 "s3://$BUCKET/p"
cairn remote default s3 >/dev/null
echo hello >f && mkdir d && echo a >d/a && echo b >d/b
cairn -q add f d

# one_error FILE: exactly one error line and at most one hint, nothing else
one_error() {
	test "$(grep -c '^cairn: error: ' "$1")" = 1 &&
		test "$(grep -c -v -e '^cairn: error: ' -e '^cairn: hint: ' "$1")" = 0 &&
		test "$(grep -c '^cairn: hint: ' "$1")" -le 1 || { sed 's/^/  | /' "$1" >&2; return 1; }
}

expect_success 'a wrong secret: AUTH, one line naming the bucket and the cause, no secret (C14)' '
	cairn remote modify s3 secret_access_key "$SECRET" 2>/dev/null &&
	must_fail --code=1 cairn -v push >out 2>err && one_error err &&
	grep_q "SignatureDoesNotMatch" err && grep_q "secret access key is wrong" err &&
	grep_q "$BUCKET" err && ! grep -q "$SECRET" err out &&
	must_fail --code=1 cairn status -c 2>err && one_error err && ! grep -q "$SECRET" err &&
	cairn config --list >out 2>&1 && ! grep -q "$SECRET" out
'

expect_success 'keys the server does not know, from the environment (C14)' '
	cairn config --local --unset remote.s3.accessKeyId && cairn config --local --unset remote.s3.secretAccessKey &&
	AWS_ACCESS_KEY_ID=nobody AWS_SECRET_ACCESS_KEY=$SECRET must_fail --code=1 cairn push 2>err &&
	one_error err && grep_q "HTTP 403 \(InvalidAccessKeyId\|SignatureDoesNotMatch\)" err &&
	grep_q "hint: the keys came from the environment" err && ! grep -q "$SECRET" err
'

expect_success 'no credentials anywhere: one error and a hint naming the ways' '
	must_fail --code=1 cairn push 2>err && one_error err &&
	grep_q "^cairn: error: no S3 credentials for remote .s3." err && grep_q "AWS_ACCESS_KEY_ID" err
'

expect_success 'keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY work' '
	AWS_ACCESS_KEY_ID=$CAIRN_TEST_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$CAIRN_TEST_S3_SECRET_KEY \
		cairn push >out && grep_q "^pushed 4 objects" out
'

expect_success 'keys from a profile of ~/.aws/credentials (AWS_PROFILE, then the profile setting)' '
	mkdir -p "$HOME/.aws" &&
	printf "[default]\naws_access_key_id = nobody\naws_secret_access_key = x\n[t]\naws_access_key_id = %s\naws_secret_access_key = %s\n" \
		"$CAIRN_TEST_S3_ACCESS_KEY" "$CAIRN_TEST_S3_SECRET_KEY" >"$HOME/.aws/credentials" &&
	must_fail --code=1 cairn status -c 2>err && grep_q "HTTP 403" err &&
	AWS_PROFILE=t cairn status -c >out && grep_q "up to date" out &&
	cairn remote modify s3 profile t && cairn status -c >out && grep_q "up to date" out &&
	AWS_PROFILE=nosuch cairn status -c >/dev/null &&
	cairn remote modify s3 profile nosuch && must_fail --code=1 cairn status -c 2>err &&
	one_error err && grep_q "no AWS profile .nosuch." err &&
	cairn config --unset remote.s3.profile && rm "$HOME/.aws/credentials"
'

cairn remote modify s3 access_key_id "$CAIRN_TEST_S3_ACCESS_KEY" 2>/dev/null
cairn remote modify s3 secret_access_key "$CAIRN_TEST_S3_SECRET_KEY" 2>/dev/null

expect_success 'a missing bucket: one line naming it' '
	s3_remote nob "s3://$BUCKET-missing/p" &&
	must_fail --code=1 cairn push -r nob 2>err && one_error err &&
	grep_q "^cairn: error: .*no such bucket .$BUCKET-missing." err &&
	must_fail --code=1 cairn status -c -r nob 2>err && grep_q "no such bucket" err
'

expect_success 'a wrong region: the region the server expects is named, with a hint' '
	s3_remote eu "s3://$BUCKET/p" && cairn remote modify eu region eu-west-1 &&
	must_fail --code=1 cairn push -r eu 2>err && one_error err &&
	grep_q "is in region .us-east-1., not .eu-west-1." err &&
	grep_q "^cairn: hint: .*cairn remote modify eu region us-east-1" err
'

start_proxy moved redirect eu-west-2
expect_success 'a 301 with x-amz-bucket-region and an empty body is no download (C17)' '
	s3_remote moved "s3://$BUCKET/p" "http://127.0.0.1:$moved_port" &&
	must_fail --code=1 cairn push -r moved 2>err && one_error err &&
	grep_q "in region .eu-west-2., not .us-east-1." err &&
	cp f ../f.saved && rm -rf .cairn/cache &&
	must_fail --code=1 cairn pull -r moved 2>err && grep_q "eu-west-2" err &&
	test -z "$(find .cairn/cache -type f -path "*sha256*" 2>/dev/null)" &&
	cmp ../f.saved f && echo a >want && cmp_expected want d/a
'

expect_success 'after the failed pull the real remote still restores everything' '
	rm -f f && cairn pull >out && grep_q "^fetched 4 objects" out && cmp ../f.saved f
'

expect_success 'an unreachable endpoint: one line with curl'"'"'s words' '
	s3_remote down "s3://$BUCKET/p" http://127.0.0.1:1 && cairn remote modify down retries 0 &&
	must_fail --code=1 cairn push -r down 2>err && one_error err &&
	grep_q "cannot reach the S3 endpoint of bucket .$BUCKET." err && grep_q "127.0.0.1" err
'

expect_success 'bad settings: one line each' '
	s3_remote bad "s3://$BUCKET/p" && cairn remote modify bad sse AES128 &&
	must_fail --code=1 cairn push -r bad 2>err && one_error err && grep_q "sse must be AES256 or aws:kms" err &&
	cairn config --unset remote.bad.sse && cairn remote modify bad multipart_chunk 1m &&
	must_fail --code=1 cairn push -r bad 2>err && one_error err && grep_q "multipartChunk" err &&
	cairn config --unset remote.bad.multipartChunk &&
	cairn remote add badurl "s3://bad bucket/p" >/dev/null &&
	must_fail --code=1 cairn push -r badurl 2>err && one_error err && grep_q "bad bucket name" err
'

# Swift's s3api implements no server-side encryption: its 501 shows the
# header arrived, signed (an unsigned x-amz-* header is refused with 400).
expect_success 'sse=AES256 is sent, signed; a server without encryption says so' '
	s3_remote enc "s3://$BUCKET/enc" && cairn remote modify enc sse AES256 &&
	must_fail --code=1 cairn push -r enc 2>err && one_error err &&
	grep_q "HTTP 501 NotImplemented" err && grep_q "^cairn: hint: .*server-side encryption" err
'

test_done
