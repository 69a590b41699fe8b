#!/bin/sh
# t9906-demo-s3: the quick start's demo (examples/demo.sh) with the local S3
# test server, as quickstart.sh and CI run it: besides the folder remote it
# pushes to a bucket, pulls every byte back from S3 into a clean clone, and
# the objects are in the bucket under ml-project/sha256/ with the bytes their
# names say (awscli, the oracle). Skipped without the S3 test server
# (CAIRN_TEST_S3_*), failed then when CAIRN_TEST_REQUIRE_S3=1; skipped when
# python3-sklearn is not installed, except in CI.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"

if ! { dpkg -L python3-sklearn 2>/dev/null | grep -q '/datasets/data/breast_cancer\.csv$'; }; then
	if [ -n "${CI:-}" ]; then
		expect_success 'python3-sklearn is installed (required in CI)' 'false'
		test_done
	fi
	skip_all "python3-sklearn's datasets are not installed"
fi
s3_setup

CAIRN_DEMO_S3_BUCKET=$BUCKET TMPDIR="$TRASH" sh "$CAIRN_SRCDIR/examples/demo.sh" >out 2>err
demo_rc=$?

section() { # the part of out from "==> N." to the next "==> "
	sed -n "/^==> $1\\./,/^==> /p" out | sed '$d'
}

expect_success 'the demo with S3 runs to "demo: OK"' '
	test $demo_rc = 0 || { cat out err; exit 1; }
	tail -n 1 out >last && echo "demo: OK" >want && cmp_expected want last
'

expect_success 'the S3 remote is configured, its keys kept out of Git' '
	section 4 >s && grep_q "^\$ cairn remote add s3 s3://$BUCKET/ml-project$" s &&
	grep_q "^s3	s3://$BUCKET/ml-project$" s &&
	grep_q "^cairn: .secret_access_key. is a credential: written to .cairn/config.local$" s &&
	! grep "secretAccessKey\|accessKeyId" s
'

expect_success 'push to S3, status -c, and a clean clone pulls every byte back from S3' '
	section 7 >s && grep_q "^pushed 11 objects (726.6 KiB) to .s3.$" s &&
	grep_q "^up to date with .s3.: 5 tracked outputs$" s &&
	grep_q "^fetched 11 objects (726.6 KiB) from .s3.$" s &&
	grep_q "^every byte came back from S3$" s
'

expect_success 'awscli finds the 11 objects in the bucket, each hashing to its name' '
	s3_keys ml-project >keys && test $(wc -l <keys) = 11 &&
	! grep -v -E "^ml-project/sha256/[0-9a-f]{2}/[0-9a-f]{62}$" keys &&
	s3_check_objects ml-project
'

expect_success 'the rest of the demo is the same: reproduce identical, the experiment table' '
	grep_q "^reproduced [0-9a-f]\{7\}: all 3 outputs identical$" out &&
	grep_q "^depth-2  *[0-9a-f]\{7\}  *done  *2  *0.936  *0.9306$" out &&
	grep_q "the S3 remote (s3://$BUCKET/ml-project) holds them too" out
'

test_done
