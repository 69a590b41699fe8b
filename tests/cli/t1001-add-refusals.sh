#!/bin/sh
# t1001-add-refusals: every path cairn add refuses, each with one clear
# error line, exit 1 (2 for a malformed command line), and nothing changed:
# no pointer, no .gitignore line, no object. Paths outside the work tree or
# in .git/.cairn, files tracked by git (C30), overlapping outputs (C32),
# names that are not UTF-8, symlinks leaving the folder, special files.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r
git commit -q --allow-empty -m init

# snapshot: every file of the work tree but .git and the locks, with its content hash
snap() {
	find . -path ./.git -prune -o -path ./.cairn/tmp -prune -o -path ./.cairn/cache/lock -prune -o \
		\( -type f -o -type l \) -print |
		LC_ALL=C sort | while read -r f; do
			if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(sha256 "$f")"; fi
		done
}

# refused CODE ARGS...: cairn add ARGS fails with CODE, one error line, nothing changed
refused() {
	code=$1; shift
	snap >../before
	must_fail --code=$code cairn add "$@" 2>../err || return 1
	snap >../after
	cmp_expected ../before ../after || return 1
	test "$(grep -c "^cairn: error: " ../err)" = 1 || { cat ../err; return 1; }
	test "$(wc -l <../err)" -le 3 || { cat ../err; return 1; }
}

expect_success 'bad flags and no path: exit 2 with the usage' '
	echo x >f && refused 2 --bogus f && grep_q "^usage: cairn add" ../err &&
	refused 2 && grep_q "too few arguments" ../err && refused 2 -j && refused 2 -x f
'

expect_success 'a missing path' '
	refused 1 nothere && grep_q "^cairn: error: .nothere. does not exist$" ../err &&
	refused 1 f nothere && grep_q "nothere" ../err && path_is_missing f.cairn
'

expect_success 'a path outside the repository' '
	refused 1 /etc/hostname && grep_q "is outside the repository" ../err &&
	refused 1 ../elsewhere && grep_q "is outside the repository" ../err &&
	mkdir -p ../outdir && echo o >../outdir/o && ln -s ../outdir outlink &&
	refused 1 outlink/o && grep_q "is outside the repository" ../err && rm outlink
'

expect_success 'the repository root' '
	refused 1 . && grep_q "cannot track the repository root" ../err
'

expect_success 'a path inside .git or .cairn' '
	refused 1 .git/config && grep_q "inside .\.git." ../err &&
	refused 1 .git && refused 1 .cairn/config && grep_q "inside .\.cairn." ../err &&
	refused 1 .cairn && mkdir -p sub/.GIT && echo x >sub/.GIT/y && refused 1 sub/.GIT/y
'

expect_success 'a pointer file, a symlink, a special file' '
	echo p >p && cairn -q add p && refused 1 p.cairn && grep_q "pointer file" ../err &&
	ln -s f flink && refused 1 flink && grep_q "is a symlink" ../err &&
	grep_q "^cairn: hint: track the file or folder it points to instead" ../err &&
	mkfifo fifo && refused 1 fifo && grep_q "not a regular file or folder" ../err && rm fifo flink
'

expect_success 'a file tracked by git: the git rm --cached hint (C30)' '
	echo v2 >g && git add g && git commit -qm g && refused 1 g &&
	grep_q "^cairn: error: .g. is already tracked by git$" ../err &&
	grep_q "^cairn: hint: .*git rm --cached .g.$" ../err && path_is_missing g.cairn &&
	no_grep "^/g$" .gitignore
'

expect_success 'a folder holding a file tracked by git' '
	mkdir gd && echo 1 >gd/tracked && echo 2 >gd/free && git add gd/tracked && git commit -qm gd &&
	refused 1 gd && grep_q "gd/tracked.* tracked by git" ../err && grep_q "git rm -r --cached" ../err
'

expect_success 'a path inside a tracked folder (C32)' '
	mkdir -p data/sub && echo 1 >data/f1 && cairn -q add data && echo 3 >data/file3 &&
	refused 1 data/file3 && grep_q "^cairn: error: .data/file3. is inside tracked folder .data.$" ../err &&
	grep_q "^cairn: hint: run .cairn add data. to update it" ../err &&
	echo s >data/sub/x && refused 1 data/sub && path_is_missing data/sub.cairn &&
	cairn add data >../out && grep_q "^updated data (3 files" ../out
'

expect_success 'a folder holding another tracked output (C32)' '
	mkdir big && echo b >big/x && cairn -q add big/x && refused 1 big &&
	grep_q "big/x.cairn" ../err && path_is_missing big.cairn && path_is_file big/x.cairn
'

expect_success 'a path named twice, or inside another argument' '
	refused 1 f f && grep_q "named twice" ../err && mkdir two && echo 1 >two/a &&
	refused 1 two two/a && grep_q "inside" ../err && path_is_missing two.cairn
'

expect_success 'a name that is not valid UTF-8, at the top or deep inside' '
	bad=$(printf "bad\377") && echo x >"$bad" && refused 1 "$bad" && grep_q "not valid UTF-8" ../err &&
	grep_q "bad\\\\xff" ../err && rm "$bad" &&
	mkdir -p deep/a/b && echo ok >deep/ok && echo x >"deep/a/b/$bad" && refused 1 deep &&
	grep_q "deep/a/b/bad\\\\xff.*not valid UTF-8" ../err && path_is_missing deep.cairn &&
	rm -rf deep
'

expect_success 'a name with a line break' '
	nl=$(printf "a\nb") && echo x >"$nl" && refused 1 "$nl" && grep_q "line break" ../err && rm "$nl"
'

expect_success 'a symlink leaving the folder: relative, absolute, through another link' '
	mkdir l1 && echo x >l1/x && ln -s ../f l1/up && refused 1 l1 &&
	grep_q "l1/up.*leaves the tracked folder" ../err && rm l1/up &&
	ln -s /etc/hostname l1/abs && refused 1 l1 && grep_q "absolute symlink target" ../err &&
	rm l1/abs && ln -s . l1/self && ln -s self/.. l1/esc && refused 1 l1 &&
	grep_q "l1/esc.*leads out of the tree" ../err && rm l1/esc &&
	ln -s .git/config l1/g && refused 1 l1 && rm l1/g && cairn -q add l1 && path_is_file l1.cairn
'

expect_success 'a special file inside a folder' '
	mkdir sp && echo x >sp/x && mkfifo sp/pipe && refused 1 sp && grep_q "sp/pipe" ../err
'

expect_success 'all paths are checked before any is stored' '
	echo a >first && refused 1 first nothere && path_is_missing first.cairn &&
	refused 1 first .git && path_is_missing first.cairn
'

test_done
