#!/bin/sh
# t3120-s3-multipart: large objects on S3. Multipart uploads above a lowered
# threshold, and always above the single-PUT limit (C16, the limit lowered
# to 8 MiB with CAIRN_S3_MAX_PUT instead of a 6 GiB file); a corrupt cached
# object stops its multipart upload before completion and the upload is
# aborted (nothing left in ListMultipartUploads, C16). Through a faulty
# proxy: an upload cut half-way is retried, or without retries fails with
# nothing reported as pushed and is completed by the next push (C42); a
# push killed with SIGKILL half-way leaves no object under a final name
# whose bytes differ from it, and the next push completes (C05).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"
s3_setup

new_repo r && cd r
s3_remote s3 "s3://$BUCKET/mp"
cairn remote default s3 >/dev/null
cairn remote modify s3 multipart_threshold 6m && cairn remote modify s3 multipart_chunk 5m
head -c 13000000 /dev/urandom >big13 && head -c 20971520 /dev/urandom >big20
cairn -q add big13 big20
cp big13 ../big13 && cp big20 ../big20
key() { echo "mp/sha256/$(sha256 "$1" | cut -c1-2)/$(sha256 "$1" | cut -c3-)"; }
obj_head() { s3_aws s3api head-object --bucket "$BUCKET" --key "$1" --query '[ETag,ContentLength]' --output text; }
uploads() { s3_aws s3api list-multipart-uploads --bucket "$BUCKET" --query 'Uploads[].Key' --output text; }

expect_success 'above the threshold: a multipart upload in 5 MiB parts' '
	cairn push big13 >out && grep_q "^pushed 1 object" out &&
	obj_head "$(key big13)" >tag && grep_q "-3\"	13000000$" tag
'

expect_success 'above the single-PUT limit: multipart whatever the threshold (C16)' '
	cairn remote modify s3 multipart_threshold 1g &&
	CAIRN_S3_MAX_PUT=8m cairn push big20 >out && grep_q "^pushed 1 object" out &&
	obj_head "$(key big20)" >tag && grep_q "-4\"	20971520$" tag
'

expect_success 'both come back whole into an empty cache' '
	rm -rf .cairn/cache big13 big20 && cairn pull >out && grep_q "^fetched 2 objects" out &&
	cmp ../big13 big13 && cmp ../big20 big20
'

expect_success 'no multipart upload is left open' '
	test -z "$(uploads | grep -v None)"
'

expect_success 'a corrupt cached object: its upload stops and is aborted, exit 1 (C16)' '
	cairn remote modify s3 multipart_threshold 6m &&
	head -c 12000000 /dev/urandom >c12 && cairn -q add c12 &&
	o=.cairn/cache/sha256/$(sha256 c12 | cut -c1-2)/$(sha256 c12 | cut -c3-) &&
	chmod u+w "$o" && printf X | dd of="$o" bs=1 seek=11000000 conv=notrunc 2>/dev/null &&
	must_fail --code=1 cairn push c12 2>err && grep_q "does not match its name" err &&
	test -z "$(uploads | grep -v None)" &&
	! s3_aws s3api head-object --bucket "$BUCKET" --key "$(key c12)" >/dev/null 2>&1
'

# a relay that resets the first connection to carry more than 3 MB
start_proxy cut proxy "${CAIRN_TEST_S3_ENDPOINT##*:}" --cut-after 3000000
head -c 9000000 /dev/urandom >cut9
cairn -q add cut9
s3_remote viacut "s3://$BUCKET/cut" "http://127.0.0.1:$cut_port"

expect_success 'an upload cut half-way is retried and completes (C42)' '
	cairn push -r viacut cut9 >out && grep_q "^pushed 1 object" out &&
	cairn status -c -r viacut cut9 >/dev/null
'

stop_proxies
start_proxy cut2 proxy "${CAIRN_TEST_S3_ENDPOINT##*:}" --cut-after 3000000
head -c 9000000 /dev/urandom >cut9b
cairn -q add cut9b
s3_remote viacut2 "s3://$BUCKET/cut" "http://127.0.0.1:$cut2_port"

expect_success 'without retries the cut upload fails; nothing is reported pushed (C42)' '
	cairn remote modify viacut2 retries 0 &&
	must_fail --code=1 cairn push -r viacut2 cut9b >out 2>err && ! grep -q "^pushed" out &&
	grep_q "^cairn: error: " err &&
	must_fail --code=1 cairn status -c -r viacut2 cut9b >out && grep_q "^to push: cut9b" out &&
	s3_check_objects cut
'

expect_success 'the next push completes it' '
	cairn push -r viacut2 cut9b >out && grep_q "^pushed 1 object" out &&
	cairn status -c -r viacut2 cut9b >/dev/null && s3_check_objects cut
'

stop_proxies
start_proxy hold proxy "${CAIRN_TEST_S3_ENDPOINT##*:}" --hold-after 4000000 "$TRASH/held" "$TRASH/go"
mkdir k && for i in 1 2 3 4 5 6; do head -c 1000000 /dev/urandom >k/f$i; done
head -c 11000000 /dev/urandom >k/big
cairn -q add k
s3_remote viahold "s3://$BUCKET/kill" "http://127.0.0.1:$hold_port"
cairn remote modify viahold jobs 2
cairn push -r viahold k >/dev/null 2>&1 &
pushpid=$!
wait_for "$TRASH/held" 30
kill -9 $pushpid 2>/dev/null
wait $pushpid 2>/dev/null
touch "$TRASH/go"

expect_success 'a push killed half-way leaves only whole objects under final names (C05)' '
	test -e "$TRASH/held" && s3_check_objects kill &&
	must_fail --code=1 cairn status -c -r viahold k >out && grep_q "^to push: k" out
'

expect_success 'the next push completes, and an empty cache pulls it back whole (C05)' '
	cp -a k ../k.saved && cairn push -r viahold k >out && grep_q "^pushed" out &&
	cairn status -c -r viahold k >/dev/null &&
	rm -rf .cairn/cache k && cairn pull -r viahold k >/dev/null && diff -r ../k.saved k
'

test_done
