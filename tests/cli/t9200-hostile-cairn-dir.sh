#!/bin/sh
# t9200-hostile-cairn-dir: a clone whose commits put symlinks or files in
# cairn's own folders (.cairn/tmp, .cairn/cache and what is inside them,
# .cairn/config) or whose stage's wdir is a symlink out of the work tree:
# cairn refuses, names the path, and writes nothing through it.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

OUT=$TRASH/outside
mkdir "$OUT"

# hostile REPO LINK TARGET: a repository whose commit carries LINK -> TARGET
hostile() {
	new_repo "$1" && (cd "$1" && mkdir -p "$(dirname "$2")" && rm -f "$2" && ln -s "$3" "$2" &&
		git add -f .cairn && git commit -qm hostile) &&
	git clone -q "$1" "$1.clone" && echo hi >"$1.clone/f"
}

nothing_outside() {
	ls -A "$OUT" >"$TRASH/ls" && test ! -s "$TRASH/ls"
}

expect_success '.cairn/tmp committed as a symlink: refused, nothing written through it' '
	hostile t1 .cairn/tmp "$OUT" && cd t1.clone &&
	for c in status "add f" checkout gc; do
		must_fail --code=1 cairn $c 2>err && grep_q ".cairn/tmp. is" err || exit 1
	done && nothing_outside
'

expect_success '.cairn/cache committed as a symlink: refused' '
	hostile t2 .cairn/cache "$OUT" && cd t2.clone &&
	must_fail cairn add f 2>err && grep_q ".cairn/cache. is" err && nothing_outside
'

expect_success 'a cache fan-out folder committed as a symlink: refused' '
	hostile t3 .cairn/cache/sha256/98 "$OUT" && cd t3.clone &&
	must_fail cairn add f 2>err && grep_q "tracked by git" err && grep_q "git rm -r --cached .cairn/cache" err &&
	nothing_outside && git rm -q -r --cached .cairn/cache && rm -rf .cairn/cache &&
	cairn -q add f && nothing_outside
'

expect_success 'a symlink in .cairn/tmp made by hand (not committed): refused' '
	new_repo t4 && cd t4 && mkdir -p .cairn/tmp && ln -s "$OUT" .cairn/tmp/running &&
	echo hi >f && must_fail cairn status 2>err && grep_q ".cairn/tmp/running. is a symlink" err &&
	rm .cairn/tmp/running && cairn status >/dev/null
'

expect_success '.cairn/config committed as a symlink: refused before it is read or written' '
	echo "[core]" >"$TRASH/cfg" && hostile t5 .cairn/config "$TRASH/cfg" &&
	cd t5.clone && must_fail cairn config core.remote x 2>err && grep_q ".cairn/config. is a symlink" err &&
	echo "[core]" >want && cmp_expected want "$TRASH/cfg"
'

# libgit2 follows include.path on its own: a committed include read any
# file of the user's, and one naming a FIFO hung every command
expect_success '.cairn/config that includes another file: refused before it is followed' '
	mkfifo "$TRASH/fifo" && new_repo t7 && cd t7 &&
	printf "[core] [include]\n\tpath = %s\n" "$TRASH/fifo" >>.cairn/config &&
	git add .cairn/config && git commit -qm hostile && cd .. && git clone -q t7 t7.clone &&
	cd t7.clone && must_fail --code=1 cairn status 2>err &&
	grep_q "includes other files" err && grep_q "config.local" err
'

expect_success 'a stage whose wdir is a symlink out of the work tree never runs' '
	new_repo t6 && cd t6 && ln -s "$OUT" data &&
	cat >cairn.yaml <<-EOT &&
	stages:
	  clean:
	    cmd: touch wiped && echo x >o
	    wdir: data
	    outs: [o]
	EOT
	must_fail --code=1 cairn repro 2>err && grep_q "working folder of stage .clean." err &&
	grep_q "symlink" err && nothing_outside && path_is_missing wiped
'

test_done
