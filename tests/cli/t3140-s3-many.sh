#!/bin/sh
# t3140-s3-many: more than 1,000 objects on S3, so every listing of the
# remote goes past its first page (ListObjectsV2 stops at 1,000 keys):
# push 1,101 objects, awscli counts them, status -c finds them all, then
# finds exactly the few deleted behind its back (some past the first page)
# and a push sends exactly those. The slowest S3 test (about 20 s: the test
# server takes about 60 PUTs a second).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"
s3_setup

new_repo r && cd r
s3_remote s3 "s3://$BUCKET/many"
cairn remote default s3 >/dev/null
cairn remote modify s3 jobs 32
mkdir d && i=0 && while [ $i -lt 1100 ]; do echo "object $i" >d/f$i; i=$((i + 1)); done
cairn -q add d

expect_success 'push 1,101 objects' '
	cairn push >out && grep_q "^pushed 1101 objects" out
'

expect_success 'awscli lists all of them under the layout' '
	s3_keys many >keys && test $(wc -l <keys) = 1101 &&
	! grep -v -E "^many/sha256/[0-9a-f]{2}/[0-9a-f]{62}$" keys
'

expect_success 'status -c finds every one, past the first page' '
	cairn status -c >out && grep_q "^up to date with .s3.: 1 tracked output" out &&
	cairn push >out && grep_q "^everything is on .s3. already (1101 objects)" out
'

expect_success 'three deleted behind its back (two past the first page) are found and sent again' '
	{ sed -n 5p keys; tail -n 2 keys; } >gone &&
	python3 -c "
import json,sys
print(json.dumps({\"Objects\": [{\"Key\": k.strip()} for k in open(\"gone\")], \"Quiet\": True}))" >del.json &&
	s3_aws s3api delete-objects --bucket "$BUCKET" --delete file://del.json >/dev/null &&
	must_fail --code=1 cairn status -c >out && grep_q "^to push: d (3 objects, " out &&
	cairn push >out && grep_q "^pushed 3 objects" out &&
	cairn status -c >out && grep_q "^up to date" out
'

test_done
