#!/bin/sh
# t2010-gc: cairn gc -w keeps every object the workspace's pointers reach
# (files, and every manifest and member of tracked folders) and objects
# younger than gc.grace; it removes the rest, prints what and the bytes
# freed, and refuses when a kept manifest is corrupt.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

obj_path() {
	echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}
age() { # age PATH...: make cache files two hours old
	for p in "$@"; do touch -h -d '-2 hours' "$p"; done
}
nobjects() {
	find .cairn/cache/sha256 -type f | wc -l
}

new_repo r && cd r || exit 1
echo one >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b && ln -s a d/link
cairn -q add f d || exit 1
age $(find .cairn/cache/sha256 -type f)

expect_success 'gc needs a scope (exit 2) and removes nothing then' '
	n=$(nobjects) && must_fail --code=2 cairn gc 2>err &&
	grep_q "^cairn: error: say what to keep" err && grep_q "^cairn: hint: use -w" err &&
	test "$(nobjects)" = "$n"
'

expect_success 'everything referenced is kept, with a summary of the roots' '
	n=$(nobjects) && cairn gc -w >out &&
	grep_q "^kept: workspace (2 pointers, $n objects)$" out &&
	grep_q "^removed 0 objects, 0 B freed$" out && test "$(nobjects)" = "$n"
'

expect_success 'an old unreferenced object is removed, listed with its size' '
	old=$(ptr_sha f.cairn) && echo two >f && cairn -q add f && age $(obj_path $old) &&
	cairn gc -w >out &&
	grep_q "^removed $old (4 B)$" out && grep_q "^removed 1 object, 4 B freed$" out &&
	path_is_missing $(obj_path $old) && path_is_file $(obj_path $(ptr_sha f.cairn))
'

expect_success 'objects younger than gc.grace (default 1h) are kept' '
	old=$(ptr_sha f.cairn) && echo three >f && cairn -q add f &&
	cairn gc -w >out && grep_q "^kept 1 unreferenced object younger than gc.grace" out &&
	path_is_file $(obj_path $old) &&
	CAIRN_GC_GRACE=0 cairn gc -w >out && grep_q "^removed $old" out &&
	path_is_missing $(obj_path $old)
'

expect_success 'gc.grace from the settings, with units' '
	old=$(ptr_sha f.cairn) && echo four >f && cairn -q add f &&
	touch -d "-10 minutes" $(obj_path $old) &&
	git config -f .cairn/config gc.grace 15m && cairn gc -w >out && path_is_file $(obj_path $old) &&
	git config -f .cairn/config gc.grace 5m && cairn gc -w >out && path_is_missing $(obj_path $old) &&
	git config -f .cairn/config --unset gc.grace
'

expect_success 'a bad gc.grace is an error naming it; nothing is removed' '
	n=$(nobjects) && git config -f .cairn/config gc.grace soon &&
	must_fail --code=1 cairn gc -w 2>err && grep_q "gc.grace: bad duration .soon." err &&
	test "$(nobjects)" = "$n" && git config -f .cairn/config --unset gc.grace
'

expect_success '--dry-run lists what would go and removes nothing' '
	old=$(ptr_sha f.cairn) && echo five >f && cairn -q add f && age $(obj_path $old) &&
	cairn gc -w --dry-run >out && grep_q "^would remove $old (5 B)$" out &&
	grep_q "^would remove 1 object, 5 B to free$" out && path_is_file $(obj_path $old) &&
	cairn gc -w -d >out2 && cmp_expected out out2 && path_is_file $(obj_path $old)
'

expect_success 'old manifests of a changed folder go; the current tree stays' '
	CAIRN_GC_GRACE=0 cairn gc -q -w && oldroot=$(ptr_sha d.cairn) &&
	echo c >d/sub/c && cairn -q add d && CAIRN_GC_GRACE=0 cairn gc -w >out &&
	grep_q "^removed $oldroot" out &&
	rm -rf d && cairn -q checkout d && test "$(cat d/sub/b)" = b && test "$(cat d/sub/c)" = c &&
	test "$(readlink d/link)" = a && cairn status >st && grep_q "up to date: 2" st
'

expect_success 'an object a folder shares with a dropped version is kept' '
	a=$(sha256 d/a) && path_is_file $(obj_path $a) && CAIRN_GC_GRACE=0 cairn gc -q -w &&
	path_is_file $(obj_path $a)
'

expect_success 'a corrupt kept manifest stops gc before anything is removed' '
	old=$(ptr_sha f.cairn) && echo six >f && cairn -q add f && age $(obj_path $old) &&
	root=$(obj_path $(ptr_sha d.cairn)) && cp $root root.saved && chmod u+w $root &&
	printf "garbage" >$root && n=$(nobjects) &&
	must_fail --code=1 cairn gc -w 2>err && grep_q "^cairn: error: cannot collect garbage" err &&
	grep_q "fsck --repair" err && test "$(nobjects)" = "$n" && path_is_file $(obj_path $old) &&
	cp root.saved $root && chmod 444 $root
'

expect_success 'a missing sub-manifest is a warning, and its files may go' '
	echo s1 >s1 && cairn -q add s1 && CAIRN_GC_GRACE=0 cairn gc -q -w &&
	mkdir -p m/x && echo mx >m/x/y && cairn -q add m &&
	for o in $(find .cairn/cache/sha256 -type f -newer s1.cairn); do
		grep -q "\"name\":\"y\"" $o 2>/dev/null && rm -f $o; done &&
	CAIRN_GC_GRACE=0 cairn gc -w >out 2>err && grep_q "^cairn: warning: .m/x. (.*) is not in the cache" err &&
	cairn -q remove m
'

expect_success 'stale temp files of interrupted inserts go; fresh ones stay' '
	echo partial >.cairn/cache/tmp/obj-old && age .cairn/cache/tmp/obj-old &&
	echo busy >.cairn/cache/tmp/obj-new &&
	cairn gc -w >out && grep_q "^removed temp file tmp/obj-old (8 B)$" out &&
	grep_q "and 1 temp file" out &&
	path_is_missing .cairn/cache/tmp/obj-old && path_is_file .cairn/cache/tmp/obj-new &&
	rm .cairn/cache/tmp/obj-new
'

expect_success 'stale temp files in the per-thread temp folders go too; other folders are left alone' '
	mkdir -p .cairn/cache/tmp/w3 .cairn/cache/tmp/keep && echo partial >.cairn/cache/tmp/w3/obj-9-1 &&
	echo mine >.cairn/cache/tmp/keep/obj-9-2 &&
	age .cairn/cache/tmp/w3/obj-9-1 && age .cairn/cache/tmp/keep/obj-9-2 &&
	cairn gc -w >out && grep_q "^removed temp file tmp/w3/obj-9-1 (8 B)$" out &&
	path_is_missing .cairn/cache/tmp/w3/obj-9-1 && path_is_file .cairn/cache/tmp/keep/obj-9-2 &&
	rm -r .cairn/cache/tmp/keep
'

expect_success 'the quarantine is never touched' '
	mkdir -p .cairn/tmp/quarantine && echo q >.cairn/tmp/quarantine/x &&
	age .cairn/tmp/quarantine/x && CAIRN_GC_GRACE=0 cairn gc -q -w &&
	path_is_file .cairn/tmp/quarantine/x
'

expect_success 'files that are not objects are left alone' '
	echo note >.cairn/cache/sha256/README && mkdir -p .cairn/cache/sha256/zz &&
	echo x >.cairn/cache/sha256/zz/not-an-object && CAIRN_GC_GRACE=0 cairn gc -q -w &&
	path_is_file .cairn/cache/sha256/README && path_is_file .cairn/cache/sha256/zz/not-an-object &&
	rm -r .cairn/cache/sha256/README .cairn/cache/sha256/zz
'

expect_success 'symlink checkouts stay valid after gc' '
	CAIRN_CACHE_TYPE=symlink cairn -q checkout --relink f && CAIRN_GC_GRACE=0 cairn gc -q -w &&
	test "$(cat f)" = six && CAIRN_CACHE_TYPE=copy cairn -q checkout --relink f
'

expect_success 'an add killed before its pointer: the object it reused survives gc' '
	echo reuse >ru && cairn -q add ru && obj=$(ptr_sha ru.cairn) && cairn -q remove ru &&
	age $(obj_path $obj) &&
	( CAIRN_TEST_FAULT=add-pointer cairn add ru; test $? = 137 ) && path_is_missing ru.cairn &&
	cairn gc -w >out && path_is_file $(obj_path $obj) && cairn -q add ru && path_is_file ru.cairn
'

expect_success '-q prints nothing; usage errors exit 2' '
	cairn gc -q -w >out 2>&1 && test ! -s out &&
	must_fail --code=2 cairn gc -w extra && must_fail --code=2 cairn gc --nope && true
'

test_done
