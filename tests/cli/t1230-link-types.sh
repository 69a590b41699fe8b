#!/bin/sh
# t1230-link-types: cache.type, an ordered list of reflink, hardlink,
# symlink and copy used per file with fallback; links are read-only;
# checkout --relink places every file again after a change of type.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

obj_path() {
	echo "$(pwd)/.cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}
settype() { git config -f .cairn/config cache.type "$1"; }

new_repo r && cd r || exit 1
echo one >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b &&
	printf '#!/bin/sh\n' >d/run.sh && chmod +x d/run.sh
cairn -q add f d || exit 1

expect_success 'the default (reflink,copy) gives writable copies on this file system' '
	rm -rf f d && cairn -q checkout &&
	test "$(stat -c %h f)" = 1 && test "$(stat -c %a f)" = 644 && test "$(cat f)" = one
'

expect_success 'hardlink: files share the cache object, read-only' '
	settype hardlink,copy && rm -rf f d && cairn -q checkout &&
	test "$(stat -c %i f)" = "$(stat -c %i $(obj_path $(ptr_sha f.cairn)))" &&
	test "$(stat -c %a f)" = 444 && test "$(stat -c %a d/sub/b)" = 444 &&
	cairn status >st && grep_q "up to date: 2" st
'

expect_success 'per-file fallback: an executable is copied, never linked' '
	test "$(stat -c %h d/run.sh)" = 1 && test -x d/run.sh && test "$(stat -c %h d/a)" -ge 2
'

expect_success 'symlink: links point into the cache; status is clean' '
	settype symlink,copy && rm -rf f d && cairn -q checkout &&
	path_is_link f && test "$(readlink f)" = "$(obj_path $(ptr_sha f.cairn))" &&
	path_is_link d/a && path_is_file d/run.sh && cairn status >st && grep_q "up to date: 2" st
'

expect_success 'checkout --relink switches symlinks to copies' '
	settype copy && cairn checkout --relink >out && grep_q "restored f" out &&
	path_is_file f && path_is_file d/a && test "$(stat -c %h d/a)" = 1 &&
	test "$(cat d/sub/b)" = b && cairn status >st && grep_q "up to date: 2" st
'

expect_success 'checkout --relink switches copies to hardlinks, leaving no temp file' '
	settype hardlink,copy && cairn -q checkout --relink &&
	test "$(stat -c %h f)" -ge 2 && test "$(stat -c %h d/a)" -ge 2 &&
	ls .cairn/tmp >tmpls && no_grep "^co-" tmpls
'

expect_success 'relinking what is already linked changes nothing' '
	before=$(stat -c %h $(obj_path $(ptr_sha f.cairn))) && cairn -q checkout --relink &&
	test "$(stat -c %h $(obj_path $(ptr_sha f.cairn)))" = "$before" &&
	ls .cairn/tmp >tmpls && no_grep "^co-" tmpls
'

expect_success 'checkout without --relink leaves the placement alone' '
	settype copy && cairn -q checkout && test "$(stat -c %h f)" -ge 2
'

expect_success 'add with hardlink first links the new data into the cache' '
	settype hardlink,copy && echo new >n && mkdir e && echo x >e/x &&
	cairn -q add n e && test "$(stat -c %h n)" = 2 && test "$(stat -c %a e/x)" = 444
'

expect_success '--relink refuses to replace a modified file' '
	cairn unprotect n >/dev/null && echo changed >n && settype copy &&
	must_fail --code=1 cairn checkout --relink n 2>err && grep_q "modified" err &&
	test "$(cat n)" = changed
'

expect_success 'a cache on another file system falls back to copies' '
	test -d /dev/shm && test -w /dev/shm || exit 0
	shared=$(mktemp -d /dev/shm/cairn-t1230.XXXXXX) &&
	git init -q ../other && (cd ../other && cairn -q init &&
		git config -f .cairn/config cache.dir "$shared" &&
		git config -f .cairn/config cache.type hardlink,copy &&
		echo z >z && cairn -q add z && rm z && cairn -q checkout z &&
		test "$(stat -c %h z)" = 1 && test "$(cat z)" = z) ; rc=$?
	rm -rf "$shared"; exit $rc
'

expect_success 'hardlink alone across file systems: add keeps the copy, checkout fails clearly' '
	test -d /dev/shm && test -w /dev/shm || exit 0
	shared=$(mktemp -d /dev/shm/cairn-t1230.XXXXXX) &&
	git init -q ../other2 && (cd ../other2 && cairn -q init &&
		git config -f .cairn/config cache.dir "$shared" &&
		git config -f .cairn/config cache.type hardlink &&
		echo z >z && cairn -q add z && test "$(stat -c %h z)" = 1 && rm z &&
		must_fail --code=1 cairn checkout z 2>err && grep_q "no link type of cache.type works" err &&
		path_is_missing z); rc=$?
	rm -rf "$shared"; exit $rc
'

expect_success 'hardlink alone cannot place an executable: a clear error' '
	settype hardlink && rm d/run.sh && must_fail --code=1 cairn checkout d 2>err &&
	grep_q "no link type of cache.type works for .run.sh." err && settype hardlink,copy &&
	cairn -q checkout d && test -x d/run.sh
'

expect_success 'an unknown link type is an error naming cache.type' '
	settype hardlink,teleport && must_fail cairn checkout 2>err &&
	grep_q "cache.type: unknown link type .teleport." err &&
	settype hardlink,hardlink && must_fail cairn status 2>err && grep_q "listed twice" err &&
	settype copy
'

test_done
