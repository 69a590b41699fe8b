#!/bin/sh
# t3040-s3-credentials: the bad-credential part of scenario C14 through the
# commands, against the local S3 server: a wrong secret, no credentials at
# all, and credentials from the environment. Each failure is one clear line
# about authentication, exit 1 (not 0 as for "nothing to push"), no secret
# in any output, and nothing reported as pushed that is not there.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
require_s3
. "$CAIRN_SRCDIR/tests/s3-aws.sh"

BUCKET=$(printf 'cairn-t3040-%s' "$$" | cut -c1-63)
s3_aws s3 mb "s3://$BUCKET" >/dev/null || {
	echo "1..1"
	echo "not ok 1 - cannot create bucket $BUCKET at $CAIRN_TEST_S3_ENDPOINT"
	exit 1
}

new_repo r && cd r
cairn remote add -d s3 "s3://$BUCKET/c14" >/dev/null
cairn remote modify s3 endpoint "$CAIRN_TEST_S3_ENDPOINT" >/dev/null
echo hello >f && cairn -q add f

keys() {
	s3_aws s3api list-objects-v2 --bucket "$BUCKET" --prefix c14/ --query 'Contents[].Key' \
		--output text | tr '\t' '\n' | grep -v '^None$' || true
}

expect_success 'no credentials anywhere: a clear error naming the remote, exit 1' '
	must_fail --code=1 cairn push 2>err && grep_q "^cairn: error: no S3 credentials for remote .s3." err &&
	test -z "$(keys)"
'

expect_success 'a wrong secret: push fails with an authentication error, secret not shown' '
	cairn remote modify s3 access_key_id "$CAIRN_TEST_S3_ACCESS_KEY" 2>/dev/null &&
	cairn remote modify s3 secret_access_key WR0NG-S3CR3T 2>/dev/null &&
	must_fail --code=1 cairn push >out 2>err &&
	grep_q "403" err && grep_q "secret access key is wrong" err &&
	no_grep WR0NG out && no_grep WR0NG err && no_grep "^pushed" out && test -z "$(keys)" &&
	test $(grep -c "^cairn: error:" err) = 1
'

expect_success 'status --cloud and pull fail the same way (exit 1, no secret)' '
	must_fail --code=1 cairn status -c >out 2>err && grep_q "403" err && no_grep WR0NG err &&
	mv .cairn/cache ../cache.held && mv f ../f.held &&
	must_fail --code=1 cairn -v pull 2>err; rc=$?
	rm -rf .cairn/cache && mv ../cache.held .cairn/cache && mv ../f.held f && test $rc = 0 &&
	no_grep WR0NG err && grep_q "403" err
'

expect_success 'the right secret: push exits 0 and the object is really there' '
	cairn remote modify s3 secret_access_key "$CAIRN_TEST_S3_SECRET_KEY" 2>/dev/null &&
	cairn push >out && grep_q "^pushed 1 object" out &&
	keys >got && grep_q "c14/sha256/$(sha256 f | cut -c1-2)/$(sha256 f | cut -c3-)" got &&
	cairn status -c >out && grep_q "^up to date" out
'

expect_success 'environment credentials are used when the remote has none' '
	cairn config --local --unset remote.s3.accessKeyId &&
	cairn config --local --unset remote.s3.secretAccessKey &&
	AWS_ACCESS_KEY_ID="$CAIRN_TEST_S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$CAIRN_TEST_S3_SECRET_KEY" \
		cairn status -c >out && grep_q "^up to date" out &&
	AWS_ACCESS_KEY_ID="$CAIRN_TEST_S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY=nope \
		must_fail --code=1 cairn status -c 2>err && grep_q "403" err && no_grep nope err
'

test_done
