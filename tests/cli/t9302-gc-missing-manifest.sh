#!/bin/sh
# t9302-gc-missing-manifest: a folder manifest the cache lacks, named by
# many revisions, is warned about once (not once per revision that names
# it), and gc --cloud fetches it once.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export CAIRN_GC_GRACE=0
mkdir store
new_repo r && cd r || exit 1

expect_success 'setup: five commits share the manifest of d/s' '
	cairn remote add -d origin ../store &&
	mkdir -p d/s && echo a >d/s/a && echo 1 >d/b && cairn add -q d && git add -A && git commit -qm 1 &&
	for i in 2 3 4 5; do chmod -R u+w d && echo $i >d/b && cairn add -q d && git commit -qam $i || exit 1; done &&
	cairn push -q -A
'

expect_success 'gc -A warns once about the missing manifest' '
	s=$(sed -n "s/.*\"name\":\"s\",\"nfiles\":1,\"sha256\":\"\([0-9a-f]*\)\".*/\1/p" \
		.cairn/cache/sha256/*/* 2>/dev/null | sort -u) && test -n "$s" &&
	rm -f .cairn/cache/sha256/$(echo $s | cut -c1-2)/$(echo $s | cut -c3-) &&
	cairn gc -A -d >out 2>err && test $(grep -c "is not in the cache" err) = 1 &&
	grep_q "^cairn: warning: .d/s. ($s) is not in the cache" err
'

expect_success 'gc --cloud -A fetches it and keeps everything' '
	n=$(find ../store -type f | wc -l) &&
	cairn gc --cloud -A --force >out 2>err && test ! -s err &&
	grep_q "^removed 0 of $n objects" out && cairn fsck -q
'

test_done
