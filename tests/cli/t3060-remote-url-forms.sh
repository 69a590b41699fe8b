#!/bin/sh
# t3060-remote-url-forms: the ways a local folder remote can be written:
# a path with spaces, '~/' (the user's home, as git does in its
# configuration), file:// with percent-escapes and localhost, a relative path
# (taken from the root of the work tree, from any subfolder and with -C),
# and URLs refused with one clear line: another host, an escape that
# decodes to NUL, an unknown scheme.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
echo data >f && mkdir -p sub/deep && cairn -q add f
ID=$(sha256 f)
cd "$TRASH"

# has_object DIR: the remote folder DIR holds f's object
has_object() {
	path_is_file "$1/sha256/$(echo $ID | cut -c1-2)/$(echo $ID | cut -c3-)"
}

expect_success 'a path with spaces and unicode' '
	cd r && cairn remote add sp "$TRASH/my store ü" && cairn push -r sp >/dev/null &&
	has_object "$TRASH/my store ü"
'

expect_success '~/ is the home folder' '
	cd r && cairn remote add home "~/remote store" && cairn push -r home >/dev/null &&
	has_object "$HOME/remote store" && path_is_missing "~"
'

expect_success 'file:// with percent-escapes, and file://localhost/' '
	cd r && cairn remote add fu "file://$TRASH/file%20store%2Bplus" &&
	cairn push -r fu >/dev/null && has_object "$TRASH/file store+plus" &&
	cairn remote add fl "file://localhost$TRASH/fl" && cairn push -r fl >/dev/null &&
	has_object "$TRASH/fl" &&
	cairn remote add pct "file://$TRASH/100%" && cairn push -r pct >/dev/null &&
	has_object "$TRASH/100%"
'

expect_success 'a relative path is taken from the root, from a subfolder and with -C' '
	cd r && cairn remote add rel ../relstore && cd sub/deep &&
	cairn push -r rel >/dev/null && has_object "$TRASH/relstore" &&
	path_is_missing "$TRASH/r/sub/relstore" && cd "$TRASH" &&
	cairn -C r/sub status -c -r rel >out && grep_q "^up to date with .rel." out
'

expect_success 'file:// of another host, an escape to NUL, an unknown scheme: one line each' '
	cd r && cairn remote add oh "file://otherhost/tmp/x" &&
	must_fail --code=2 cairn push -r oh 2>err &&
	grep_q "^cairn: error: remote .oh.: unsupported URL .file://otherhost/tmp/x.$" err &&
	cairn remote add nul "file://$TRASH/a%00b" &&
	must_fail --code=2 cairn push -r nul 2>err && grep_q "unsupported URL" err &&
	path_is_missing "$TRASH/a" &&
	must_fail --code=2 cairn remote add sshr "ssh://host/x" 2>err &&
	grep_q "^cairn: error: remote .sshr.: unsupported URL" err
'

test_done
