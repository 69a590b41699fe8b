#!/bin/sh
# t3065-pull-hostile: a hostile clone and remote. Pointers and manifests
# crafted by someone else (names with '..', '/', absolute paths, links out
# of the folder, ids that are not hex, folders nested past the limit, a
# pointer under a symlinked folder) make fetch and pull fail with one line
# naming the problem, and nothing is written outside the repository or
# through a symlink.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

# put_object JSON: store bytes on the remote under their SHA-256; prints the id
put_object() {
	id=$(printf '%s' "$1" | sha256sum | cut -c1-64)
	mkdir -p "$STORE/sha256/$(echo $id | cut -c1-2)"
	printf '%s' "$1" >"$STORE/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)"
	echo $id
}
# dir_pointer NAME ID: a pointer NAME.cairn to a folder with root manifest ID
dir_pointer() {
	printf 'outs:\n- path: %s\n  hash: sha256\n  sha256: %s\n  size: 1\n  nfiles: 1\n  type: dir\n' \
		"$1" "$2" >"$1.cairn"
}

new_repo r && cd r && cairn remote add -d origin "$STORE" >/dev/null && git add -A &&
	git commit -qm init
cd "$TRASH"
mkdir outside
E=$(put_object "")

expect_success 'manifest entries named .., a/b, /etc or empty: refused, nothing written' '
	for n in .. a/b /etc ""; do
		m=$(put_object "{\"entries\":[{\"name\":\"$n\",\"sha256\":\"$E\",\"size\":0,\"type\":\"file\"}],\"version\":1}")
		rm -rf c && git clone -q r c && (cd c && dir_pointer d $m &&
			must_fail --code=1 cairn pull 2>err && grep_q "malformed manifest" err &&
			path_is_missing d) || exit 1
	done &&
	test -z "$(ls outside)" && path_is_missing "$TRASH/etc"
'

expect_success 'a symlink entry leaving the folder is refused' '
	m=$(put_object "{\"entries\":[{\"name\":\"l\",\"target\":\"../../outside\",\"type\":\"symlink\"}],\"version\":1}") &&
	rm -rf c && git clone -q r c && cd c && dir_pointer d $m &&
	must_fail --code=1 cairn pull 2>err && path_is_missing d/l
'

expect_success 'folders nested past the limit: one line, nothing written' '
	m=$(put_object "{\"entries\":[{\"name\":\"f\",\"sha256\":\"$E\",\"size\":0,\"type\":\"file\"}],\"version\":1}") &&
	i=0 && while [ $i -lt 260 ]; do
		m=$(put_object "{\"entries\":[{\"name\":\"d\",\"nfiles\":1,\"sha256\":\"$m\",\"size\":0,\"type\":\"dir\"}],\"version\":1}")
		i=$((i + 1))
	done &&
	rm -rf c && git clone -q r c && cd c && dir_pointer deep $m &&
	must_fail --code=1 cairn pull 2>err && grep_q "folders nested too deeply$" err &&
	test "$(wc -l <err)" = 1 && path_is_missing deep &&
	must_fail --code=1 cairn status -c 2>err && grep_q "nested too deeply" err
'

expect_success 'pointers with .., an absolute path or an id that is not hex are refused' '
	rm -rf c && git clone -q r c && cd c &&
	printf "outs:\n- path: ..\n  hash: sha256\n  sha256: $E\n  size: 0\n  type: file\n" >..cairn &&
	must_fail --code=1 cairn fetch 2>err && grep_q "malformed pointer" err && rm ..cairn &&
	printf "outs:\n- path: /tmp/x\n  hash: sha256\n  sha256: $E\n  size: 0\n  type: file\n" >x.cairn &&
	must_fail --code=1 cairn fetch 2>err && grep_q "malformed pointer" err && rm x.cairn &&
	printf "outs:\n- path: g\n  hash: sha256\n  sha256: ../../$E\n  size: 0\n  type: file\n" >g.cairn &&
	must_fail --code=1 cairn pull 2>err && grep_q "malformed pointer .g.cairn." err &&
	path_is_missing g
'

expect_success 'a pointer under a symlinked folder is not followed out of the repository' '
	rm -rf c && git clone -q r c && cd c && ln -s "$TRASH/outside" sub &&
	printf "outs:\n- path: g\n  hash: sha256\n  sha256: $E\n  size: 0\n  type: file\n" >"$TRASH/outside/g.cairn" &&
	must_fail cairn pull sub/g 2>err && cairn pull >out &&
	test "$(ls "$TRASH/outside")" = g.cairn
'

expect_success 'a tracked file that is a symlink out of the repository is replaced, not written through' '
	rm -rf c && git clone -q r c && cd c &&
	printf "outs:\n- path: g\n  hash: sha256\n  sha256: $E\n  size: 0\n  type: file\n" >g.cairn &&
	ln -s "$TRASH/outside/evil" g && must_fail --code=1 cairn pull 2>err &&
	path_is_missing "$TRASH/outside/evil" && cairn pull --force >out && path_is_file g &&
	path_is_missing "$TRASH/outside/evil"
'

test_done
