#!/bin/sh
# t9905-demo: the acceptance test of the quick start's demo
# (examples/demo.sh, the example ML project on python3-sklearn's real
# datasets) with the built binary and no S3: it ends with "demo: OK", and
# what it shows is checked, not only its exit code: the pull restored every
# byte, cairn diff v1 v2 names the dataset, the split and the model, cairn
# reproduce finds all 3 outputs identical, and cairn exp show lists the
# baseline and two experiments with their params and metrics (the pipeline is
# deterministic, so the numbers are known). A cairn that restores a wrong
# byte, or a reproduce that differs, makes the demo fail loudly. Skipped when
# python3-sklearn is not installed, except in CI.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

if ! { dpkg -L python3-sklearn 2>/dev/null | grep -q '/datasets/data/breast_cancer\.csv$'; }; then
	if [ -n "${CI:-}" ]; then
		expect_success 'python3-sklearn is installed (required in CI)' 'false'
		test_done
	fi
	skip_all "python3-sklearn's datasets are not installed"
fi
for v in $(env | sed -n 's/^\(CAIRN_TEST_S3_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset CAIRN_TEST_REQUIRE_S3

# demo: run the demo in $TRASH with the cairn on PATH (the binary under test),
# as quickstart.sh does, or with CAIRN=$CAIRN_DEMO_BIN
demo() {
	if [ -n "${CAIRN_DEMO_BIN:-}" ]; then
		env CAIRN="$CAIRN_DEMO_BIN" TMPDIR="$TRASH" sh "$CAIRN_SRCDIR/examples/demo.sh"
	else
		env -u CAIRN TMPDIR="$TRASH" sh "$CAIRN_SRCDIR/examples/demo.sh"
	fi
}

# the section of out between "==> N." and the next "==> "
section() {
	sed -n "/^==> $1\\./,/^==> /p" out | sed '$d'
}

demo >out 2>err
demo_rc=$?

expect_success 'the demo runs to "demo: OK" with the cairn on PATH' '
	test $demo_rc = 0 || { cat out err; exit 1; }
	tail -n 1 out >last && echo "demo: OK" >want && cmp_expected want last
'

expect_success 'it tracks the datasets and runs the pipeline' '
	section 2 >s && grep_q "^added data/breast_cancer.csv (117.1 KiB)$" s &&
	grep_q "^added data/wine_data.csv (10.9 KiB)$" s && grep_q "^added data/images (4 files, 388.5 KiB)$" s &&
	section 3 >s && grep_q "^evaluate: accuracy 0.9718, f1 0.9699$" s &&
	grep_q "^up to date: 5 tracked outputs$" s
'

expect_success 'S3 is skipped without a server, saying how to start one' '
	section 7 >s && grep_q "S3: skipped" s && grep_q "tests/s3-server.sh start" s
'

expect_success 'the clone pulls every object and every byte matches' '
	section 8 >s && grep_q "^fetched 11 objects (726.6 KiB) from .storage.$" s &&
	grep_q "^all 10 files identical to the original machine$" s
'

expect_success 'cairn diff v1 v2 names the dataset, the split and the model' '
	sed -n "/^\$ cairn diff v1 v2$/,/^\\$ /p" out | sed "1d;\$d" >got &&
	cat >want <<-EOF &&
	modified: data/breast_cancer.csv
	modified: data/prepared/test.csv
	modified: data/prepared/train.csv
	modified: models/model.pkl
	EOF
	cmp_expected want got
'

expect_success 'the older data comes back byte for byte' '
	section 11 >s && grep_q "^v1 is back, byte for byte$" s
'

expect_success 'cairn reproduce v1: every output identical' '
	section 12 >s && grep "^identical \|^differs \|^missing \|^reproduced " s >got &&
	cat >want <<-EOF &&
	identical metrics.json (stage evaluate)
	identical data/prepared (stage prepare)
	identical models/model.pkl (stage train)
	EOF
	sed -n 1,3p got >got3 && cmp_expected want got3 &&
	sed -n 4p got | grep -q "^reproduced [0-9a-f]\{7\}: all 3 outputs identical$" &&
	test $(wc -l <got) = 4
'

expect_success 'cairn exp show: the baseline and two experiments, params and metrics' '
	section 13 >s &&
	sed -n "/^\$ cairn exp show$/,/^\\$ /p" s | sed "1d;\$d" | sed "s/  */ /g" | cut -d" " -f1,3- >got &&
	cat >want <<-EOF &&
	experiment state params.yaml:train.max_depth metrics.json:accuracy metrics.json:f1
	baseline baseline 4 0.952 0.9479
	depth-1 done 1 0.92 0.9114
	depth-2 done 2 0.936 0.9306
	EOF
	cmp_expected want got
'

expect_success 'it ends with a summary and removes its temporary folder' '
	sed -n "/^==> Summary$/,\$p" out >s &&
	grep_q "cairn reproduce v1: all 3 outputs identical" s &&
	test -z "$(ls -d "$TRASH"/cairn-demo.* 2>/dev/null)"
'

# a cairn that restores one wrong byte when it pulls
mkdir -p wrap && cat >wrap/cairn <<WRAP
#!/bin/sh
"$CAIRN" "\$@"; rc=\$?
if [ "\$1" = pull ] && [ -f data/wine_data.csv ]; then chmod u+w data/wine_data.csv; echo 1 >>data/wine_data.csv; fi
exit \$rc
WRAP
# a cairn whose reproduce says an output differs
cat >wrap/cairn-differs <<WRAP
#!/bin/sh
if [ "\$1" = reproduce ]; then "$CAIRN" "\$@" | sed "s/^identical models/differs   models/"; exit 0; fi
exec "$CAIRN" "\$@"
WRAP
chmod +x wrap/cairn wrap/cairn-differs

expect_success 'it fails loudly when a pull restores a wrong byte' '
	CAIRN_DEMO_BIN="$TRASH/wrap/cairn" must_fail demo >out2 2>err2 &&
	grep_q "^demo: FAILED" err2 && grep_q "in step: 8. Another machine" err2 &&
	! grep -q "demo: OK" out2
'

expect_success 'it fails loudly when reproduce finds an output that differs' '
	CAIRN_DEMO_BIN="$TRASH/wrap/cairn-differs" must_fail demo >out2 2>err2 &&
	grep_q "^demo: FAILED" err2 && grep_q "in step: 12. cairn reproduce" err2 &&
	test -z "$(ls -d "$TRASH"/cairn-demo.* 2>/dev/null)"
'

test_done
