#!/bin/sh
# t9541-link-exec-hint: with a cache.type of links only (hardlink, symlink),
# an executable file cannot be checked out, since a link to the read-only
# cache object cannot carry its exec bit. The error says so, and its hint
# gives the cache.type that works (the same list with copy added).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1

expect_success 'setup: an executable in a tracked folder, cache.type hardlink,symlink' '
	mkdir d && printf "#!/bin/sh\necho hi\n" >d/run.sh && chmod +x d/run.sh && echo a >d/a &&
	cairn -q add d && git config -f .cairn/config cache.type hardlink,symlink
'

expect_success 'checkout names the exec bit and hints the setting that works' '
	rm -rf d && must_fail --code=1 cairn checkout d 2>err &&
	grep_q "^cairn: error: .*no link type of cache.type works for .run.sh.: it is executable" err &&
	grep_q "^cairn: hint: add copy to cache.type: cairn config cache.type hardlink,symlink,copy$" err &&
	test $(grep -c "^cairn: hint:" err) = 1
'

expect_success 'the hinted setting checks it out, executable' '
	cairn config cache.type hardlink,symlink,copy && cairn -q checkout d &&
	test -x d/run.sh && test "$(d/run.sh)" = hi && test "$(stat -c %h d/a)" = 2
'

expect_success 'reflink alone where it does not work: the same hint, no exec wording' '
	cairn -q add d && rm -rf d && cairn config cache.type reflink &&
	if cairn checkout d 2>err; then exit 0; fi &&
	! grep -q "executable" err &&
	grep_q "^cairn: hint: add copy to cache.type: cairn config cache.type reflink,copy$" err
'

test_done
