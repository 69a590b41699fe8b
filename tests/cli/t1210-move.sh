#!/bin/sh
# t1210-move: cairn move SRC DST moves data, pointer and .gitignore entries
# together, for files and folders, into other folders, and never overwrites.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1
echo one >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b
cairn -q add f d || exit 1

expect_success 'move a file: data, pointer and ignore entry move together' '
	sha=$(ptr_sha f.cairn) &&
	cairn move f g >out && grep_q "^moved f to g$" out &&
	path_is_missing f && path_is_missing f.cairn && path_is_file g && path_is_file g.cairn &&
	test "$(cat g)" = one && test "$(ptr_sha g.cairn)" = "$sha" &&
	grep_q "^- path: g$" g.cairn && grep_q "^/g$" .gitignore && no_grep "^/f$" .gitignore &&
	git check-ignore -q g && cairn status >st && grep_q "up to date: 2" st
'

expect_success 'move a folder into another folder, creating it' '
	sha=$(ptr_sha d.cairn) &&
	cairn move d data/raw/d1 >out && grep_q "^moved d to data/raw/d1$" out &&
	path_is_missing d && path_is_missing d.cairn &&
	path_is_dir data/raw/d1 && test "$(cat data/raw/d1/sub/b)" = b &&
	test "$(ptr_sha data/raw/d1.cairn)" = "$sha" && grep_q "^/d1$" data/raw/.gitignore &&
	no_grep "^/d$" .gitignore && git check-ignore -q data/raw/d1/sub/b &&
	cairn status data/raw/d1 >st && grep_q "up to date" st
'

expect_success 'the state follows a moved folder (no rehash needed)' '
	n=$(sqlite3 .cairn/tmp/state "select count(*) from state where path like '"'"'data/raw/d1/%'"'"'") &&
	test "$n" -ge 2
'

expect_success 'an existing untracked folder as DST means into it' '
	mkdir archive && cairn move g archive >out && grep_q "^moved g to archive/g$" out &&
	path_is_file archive/g && path_is_file archive/g.cairn && grep_q "^/g$" archive/.gitignore
'

expect_success 'SRC may be named by its pointer, DST by a pointer name' '
	cairn move archive/g.cairn h.cairn && path_is_file h && path_is_file h.cairn &&
	grep_q "^- path: h$" h.cairn
'

expect_success 'refuses an existing destination file and changes nothing' '
	echo precious >taken &&
	must_fail --code=1 cairn move h taken 2>err &&
	grep_q "^cairn: error: .taken. already exists" err &&
	test "$(cat taken)" = precious && path_is_file h && path_is_file h.cairn
'

expect_success 'refuses a destination whose pointer exists' '
	echo x >x && cairn -q add x && rm x &&
	must_fail cairn move h x 2>err && grep_q "x.cairn. already exists" err &&
	path_is_file h && path_is_file x.cairn
'

expect_success 'refuses a destination inside a tracked folder' '
	must_fail cairn move h data/raw/d1/h 2>err && grep_q "inside tracked folder" err &&
	path_is_file h.cairn && path_is_missing data/raw/d1/h
'

expect_success 'refuses moving a folder into itself' '
	must_fail cairn move data/raw/d1 data/raw/d1/sub/x 2>err && grep_q "into itself" err
'

expect_success 'refuses .git and .cairn as destinations' '
	must_fail cairn move h .git/h 2>err && grep_q "inside .\.git." err &&
	must_fail cairn move h .cairn/h 2>err && grep_q "inside .\.cairn." err &&
	path_is_file h
'

expect_success 'refuses a destination tracked by git' '
	echo t >in-git && git add in-git && rm in-git &&
	must_fail cairn move h in-git 2>err && grep_q "tracked by git" err && path_is_file h
'

expect_success 'an untracked source is an error' '
	echo u >u && must_fail --code=1 cairn move u v 2>err && grep_q "not tracked by cairn" err &&
	path_is_file u && path_is_missing v
'

expect_success 'a pointer whose data is not checked out moves alone' '
	cairn move x y && path_is_missing x.cairn && path_is_file y.cairn && path_is_missing y &&
	cairn -q checkout y && test "$(cat y)" = x
'

expect_success 'unknown pointer keys survive the move' '
	echo k >k && cairn -q add k && printf "desc: the k file\n" >>k.cairn &&
	cairn move k k2 && grep_q "^desc: the k file$" k2.cairn
'

expect_success 'names with glob characters get exact ignore entries' '
	echo b >"b[1] x" && cairn -q add "b[1] x" && cairn move "b[1] x" "c[2]*" &&
	path_is_file "c[2]*" && git check-ignore -q "c[2]*" && ! git check-ignore -q "c2x" &&
	no_grep "b\\\\\[1" .gitignore
'

expect_success 'moving to the same place is refused' '
	must_fail cairn move h h.cairn 2>err && grep_q "already there" err && path_is_file h
'

expect_success 'usage errors exit 2' '
	must_fail --code=2 cairn move h 2>err && grep_q "too few arguments" err &&
	must_fail --code=2 cairn move h a b 2>err && grep_q "too many arguments" err
'

test_done
