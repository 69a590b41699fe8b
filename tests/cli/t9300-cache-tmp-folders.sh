#!/bin/sh
# t9300-cache-tmp-folders: the cache's temp folders tmp/wN. Something else
# in the place of one (a link out of the cache, a file) is replaced by a
# folder, so no temp file is written through a link; the cleanup of an
# abnormal exit removes this process's temp files only, not those of
# another process with the same pid (another container on a shared cache).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1

expect_success 'a link at tmp/wN: the temp files stay in the cache' '
	mkdir -p ../outside .cairn/cache/tmp &&
	for i in $(seq 0 15); do ln -s ../../../../outside .cairn/cache/tmp/w$i; done &&
	echo hello >f && cairn add -q f && cairn status f >st && grep_q "up to date" st &&
	test -z "$(ls -A ../outside)" && test -d .cairn/cache/tmp/w0 && ! test -L .cairn/cache/tmp/w0
'

expect_success 'a file at tmp/wN: replaced by the folder, add works' '
	rm -rf .cairn/cache/tmp && mkdir -p .cairn/cache/tmp &&
	for i in $(seq 0 15); do echo x >.cairn/cache/tmp/w$i; done &&
	echo again >g && cairn add -q g && test -d .cairn/cache/tmp/w0 && objects_ok .cairn/cache
'

expect_success 'a second Ctrl-C removes only this process'"'"'s temp files, not a same-pid other'"'"'s' '
	rm -rf .cairn/cache/tmp && mkdir many && for i in $(seq 1 60); do echo "n$i" >many/f$i; done &&
	must_fail --code=130 sh -c "for i in \$(seq 0 15); do mkdir -p .cairn/cache/tmp/w\$i &&
		echo other >.cairn/cache/tmp/w\$i/obj-\$\$-77; done &&
		exec env CAIRN_TEST_FAULT=cache-finish:30:int2 cairn add many" &&
	path_is_missing many.cairn &&
	test $(find .cairn/cache/tmp -type f -name "obj-*-77" | wc -l) = 16 &&
	test $(find .cairn/cache/tmp -type f | wc -l) = 16 && objects_ok .cairn/cache
'

test_done
