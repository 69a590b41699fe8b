#!/bin/sh
# t1190-demo: examples/demo.sh, the quick start's demo (track python3-
# sklearn's CSV datasets, commit, delete, check out, verify with sha256sum,
# detect an edit), runs with the built binary and ends with "demo: OK".
# Skipped when python3-sklearn's data is not installed, except in CI.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

if ! { dpkg -L python3-sklearn 2>/dev/null | grep -qE '\.csv(\.gz)?$'; }; then
	if [ -n "${CI:-}" ]; then
		expect_success 'python3-sklearn is installed (required in CI)' 'false'
		test_done
	fi
	skip_all "python3-sklearn's datasets are not installed"
fi

expect_success 'the demo runs to "demo: OK" with the built cairn' '
	CAIRN="$CAIRN" TMPDIR="$TRASH" sh "$CAIRN_SRCDIR/examples/demo.sh" >out 2>err ||
		{ cat out err; exit 1; }
	tail -n 1 out >last && echo "demo: OK" >want && cmp_expected want last &&
	grep_q "^all [0-9]* files match their original SHA-256$" out &&
	grep_q "^    modified  data/wine_data.csv$" out
'

expect_success 'it removes its temporary folder' '
	test -z "$(ls -d "$TRASH"/cairn-demo.* 2>/dev/null)"
'

expect_success 'it fails loudly when the restored data differs' '
	mkdir -p fake && printf "a,b\n1,2\n" >fake/one.csv && printf "x\n" >fake/two.csv &&
	mkdir -p wrap && cat >wrap/cairn <<-EOF2 &&
	#!/bin/sh
	# a cairn whose checkout restores a wrong byte
	"$CAIRN" "\$@"; rc=\$?
	if [ "\$1" = checkout ] && [ -f data/one.csv ]; then chmod u+w data/one.csv; echo tampered >>data/one.csv; fi
	exit \$rc
	EOF2
	chmod +x wrap/cairn &&
	! CAIRN="$TRASH/wrap/cairn" DATA_DIR="$TRASH/fake" TMPDIR="$TRASH" sh "$CAIRN_SRCDIR/examples/demo.sh" >out 2>err &&
	grep_q "^demo: FAILED: restored data differs" err
'

test_done
