#!/bin/sh
# t9301-gc-cloud-s3-skew: gc --cloud reads an S3 object's age by the
# server's clock (LastModified against the Date of the listing), so a
# server whose clock runs behind ours does not make an object written
# minutes ago look older than gc.grace. A stub S3 (tests/s3-proxy.py skew)
# answers the listing; no real server is needed.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"

new_repo r && cd r || exit 1
start_proxy behind skew 7200
start_proxy same skew 0
start_proxy future skew -10000000000

s3() {
	cairn remote add "$1" "s3://bucket/p" >/dev/null &&
	cairn remote modify "$1" endpoint "http://127.0.0.1:$2" >/dev/null &&
	cairn remote modify "$1" region us-east-1 >/dev/null &&
	cairn remote modify "$1" access_key_id AKIDEXAMPLE >/dev/null 2>&1 &&
	cairn remote modify "$1" secret_access_key secret >/dev/null 2>&1
}
obj=ab$(printf 'cd%.0s' $(seq 1 31))

expect_success 'an object written 10 minutes ago by a server 2 hours behind stays for gc.grace 1h' '
	s3 behind $behind_port && s3 same $same_port &&
	CAIRN_GC_GRACE=1h cairn gc --cloud -r behind -w -d >out &&
	grep_q "^kept 1 unreferenced object on .behind. younger than gc.grace$" out &&
	grep_q "^would remove 0 of 1 object on .behind.$" out
'

expect_success 'the same object goes once it is older than gc.grace' '
	CAIRN_GC_GRACE=5m cairn gc --cloud -r behind -w -d >out &&
	grep_q "^would remove $obj from .behind.$" out &&
	CAIRN_GC_GRACE=5m cairn gc --cloud -r same -w -d >out &&
	grep_q "^would remove $obj from .same.$" out &&
	CAIRN_GC_GRACE=1h cairn gc --cloud -r same -w -d >out &&
	grep_q "^kept 1 unreferenced object on .same. younger than gc.grace$" out
'

# a clock 317 years ahead: Date and LastModified past 2262 have no int64
# nanoseconds (their product overflowed, UB; found by tests/fuzz/s3_xml):
# an age the server cannot tell keeps the object
expect_success 'a server clock centuries ahead: the object is kept' '
	s3 future $future_port &&
	CAIRN_GC_GRACE=5m cairn gc --cloud -r future -w -d >out &&
	grep_q "^would remove 0 of 1 object on .future.$" out
'

test_done
