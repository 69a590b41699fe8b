#!/bin/sh
# t1051-checkout-hostile: pointers and manifests from a hostile clone. A
# pointer whose path is ../x or another name, manifests with '..', '/' or
# '.git' names, symlinks that lead out (directly or through each other),
# lying sizes, alias bombs, and symlinks planted in the workspace (the
# output itself, a folder inside it, the pointer's folder): checkout and
# status never write outside the repository or through a symlink, and
# refuse with one clear error, writing nothing for that output.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
mkdir -p outside
echo secret >outside/target
cd r

# put_obj TEXT: store TEXT as an object of the cache (as a fetch would); prints its id
put_obj() {
	printf '%s' "$1" >.obj.tmp
	h=$(sha256 .obj.tmp)
	d=.cairn/cache/sha256/$(echo "$h" | cut -c1-2)
	mkdir -p "$d" && mv .obj.tmp "$d/$(echo "$h" | cut -c3-)" && chmod 444 "$d/$(echo "$h" | cut -c3-)"
	echo "$h"
}

# mkptr FILE PATH TYPE SHA SIZE [NFILES]: write a pointer file
mkptr() {
	{
		printf 'outs:\n- path: %s\n  hash: sha256\n  sha256: %s\n  size: %s\n' "$2" "$4" "$5"
		[ -n "${6:-}" ] && printf '  nfiles: %s\n' "$6"
		printf '  type: %s\n' "$3"
	} >"$1"
}

# outside_intact: nothing next to the repository changed
top() { ls -A "$TRASH" | grep -v -e '^\.out\.' -e '^\.mf\.'; }
top >"$TRASH/.top"
outside_intact() {
	top | cmp -s - "$TRASH/.top" || { echo "changed next to the repository:"; top; return 1; }
	test "$(ls -A ../outside)" = target && test "$(cat ../outside/target)" = secret
}

F=$(put_obj "payload
")
EMPTY=$(put_obj '{"entries":[],"version":1}')

expect_success 'a pointer whose path is ../x is refused; nothing written outside' '
	mkptr x.cairn ../x file $F 8 && must_fail --code=1 cairn checkout 2>err &&
	grep_q "^cairn: error: malformed pointer .x.cairn. line 2: name contains ./." err &&
	outside_intact && must_fail --code=1 cairn status 2>err && grep_q "x.cairn" err && rm x.cairn
'

expect_success 'a pointer tracking another name is refused' '
	mkptr evil.cairn victim file $F 8 && echo mine >victim && must_fail --code=1 cairn checkout evil 2>err &&
	grep_q "pointer .evil.cairn. tracks .victim.; expected .evil." err && test "$(cat victim)" = mine &&
	rm evil.cairn victim
'

expect_success 'a pointer with an absolute path or .git is refused' '
	mkptr a.cairn /etc/passwd file $F 8 && must_fail cairn checkout 2>err && grep_q "a.cairn" err &&
	mkptr a.cairn .git file $F 8 && must_fail cairn checkout 2>err && grep_q "\.git" err &&
	rm a.cairn && outside_intact
'

expect_success 'a pointer that is a symlink is refused' '
	mkptr ../outside/p.cairn p file $F 8 && ln -s ../outside/p.cairn p.cairn &&
	must_fail --code=1 cairn checkout 2>err && grep_q "pointer .p.cairn. is a symlink" err &&
	path_is_missing p && rm p.cairn ../outside/p.cairn
'

expect_success 'an alias bomb in a pointer is refused at once' '
	{ printf "a: &a [x, x, x, x, x, x, x, x, x, x]\n"; printf "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n";
	  printf "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n"; } >bomb.cairn &&
	mkptr tmp.cairn bomb file $F 8 && cat tmp.cairn >>bomb.cairn && rm tmp.cairn &&
	must_fail --code=1 cairn checkout bomb 2>err && grep_q "alias" err && path_is_missing bomb &&
	must_fail --code=1 cairn status 2>err && rm bomb.cairn
'

expect_success 'the output is a symlink to outside: refused; --force replaces the link itself' '
	mkptr f.cairn f file $F 8 && ln -s ../outside/target f && must_fail --code=1 cairn checkout f 2>err &&
	grep_q "f. (" err && outside_intact && cairn checkout --force f && path_is_file f &&
	test "$(cat f)" = payload && outside_intact
'

expect_success 'the pointer lies inside a symlinked folder: refused, nothing written' '
	ln -s ../outside linkdir && mkptr ../outside/q.cairn q file $F 8 &&
	must_fail --code=1 cairn checkout linkdir/q 2>err && grep_q "is outside the repository" err &&
	path_is_missing ../outside/q && cairn checkout >out 2>err && path_is_missing ../outside/q &&
	rm ../outside/q.cairn linkdir && outside_intact
'

# a folder output "d" whose root manifest is given as entries
mkdir_ptr() {
	root=$(put_obj "{\"entries\":[$1],\"version\":1}")
	mkptr d.cairn d dir "$root" "$2" "$3"
}

for bad in '..' '.' 'a/b' '/etc' '../x' '.git' '.GIT' ''; do
	expect_success "a manifest entry named '$bad' is refused, nothing written" '
		mkdir_ptr "{\"name\":\"'"$bad"'\",\"sha256\":\"$F\",\"size\":8,\"type\":\"file\"}" 8 1 &&
		must_fail --code=1 cairn checkout d 2>err && grep_q "^cairn: error: .d.: malformed manifest" err &&
		path_is_missing d && outside_intact
	'
done

expect_success 'a manifest symlink leading out is refused, nothing written' '
	for t in ../target /etc/passwd ../../outside .git/config "sub/../.."; do
		mkdir_ptr "{\"name\":\"l\",\"target\":\"$t\",\"type\":\"symlink\"}" 0 1 &&
		must_fail --code=1 cairn checkout d 2>err || exit 1
		path_is_missing d || exit 1
	done
	outside_intact
'

expect_success 'symlinks leading out through each other are refused (s -> ., t -> s/..)' '
	mkdir_ptr "{\"name\":\"s\",\"target\":\".\",\"type\":\"symlink\"},{\"name\":\"t\",\"target\":\"s/..\",\"type\":\"symlink\"}" 0 2 &&
	must_fail --code=1 cairn checkout d 2>err && grep_q "leads out of the tree" err && path_is_missing d
'

expect_success 'a sub-manifest with a bad name is refused before anything is written' '
	sub=$(put_obj "{\"entries\":[{\"name\":\"..\",\"sha256\":\"$F\",\"size\":8,\"type\":\"file\"}],\"version\":1}") &&
	mkdir_ptr "{\"name\":\"a\",\"sha256\":\"$F\",\"size\":8,\"type\":\"file\"},{\"name\":\"z\",\"nfiles\":1,\"sha256\":\"$sub\",\"size\":8,\"type\":\"dir\"}" 16 2 &&
	must_fail --code=1 cairn checkout d 2>err && path_is_missing d
'

expect_success 'manifests whose declared totals do not add up are refused' '
	sub=$(put_obj "{\"entries\":[{\"name\":\"f\",\"sha256\":\"$F\",\"size\":8,\"type\":\"file\"}],\"version\":1}") &&
	mkdir_ptr "{\"name\":\"z\",\"nfiles\":1,\"sha256\":\"$sub\",\"size\":999,\"type\":\"dir\"}" 999 1 &&
	must_fail --code=1 cairn checkout d 2>err && grep_q "does not hold what it declares" err &&
	path_is_missing d
'

expect_success 'a manifest that is not what its name says is refused (CORRUPT)' '
	root=$(put_obj "{\"entries\":[],\"version\":1}") && p=.cairn/cache/sha256/$(echo $root | cut -c1-2)/$(echo $root | cut -c3-) &&
	chmod 644 "$p" && printf "{\"entries\":[{\"name\":\"x\",\"target\":\"../..\",\"type\":\"symlink\"}],\"version\":1}" >"$p" &&
	mkptr d.cairn d dir $root 0 0 && must_fail --code=1 cairn checkout d 2>err &&
	grep_q "corrupt" err && path_is_missing d && rm "$p"
'

expect_success 'a folder in the workspace that is a symlink to outside: refused; --force replaces it' '
	sub=$(put_obj "{\"entries\":[{\"name\":\"f\",\"sha256\":\"$F\",\"size\":8,\"type\":\"file\"}],\"version\":1}") &&
	mkdir_ptr "{\"name\":\"sub\",\"nfiles\":1,\"sha256\":\"$sub\",\"size\":8,\"type\":\"dir\"}" 8 1 &&
	mkdir d && ln -s ../../outside d/sub && must_fail --code=1 cairn checkout d 2>err &&
	grep_q "d/sub. (not tracked)" err && outside_intact &&
	cairn checkout --force d && path_is_dir d/sub && test "$(cat d/sub/f)" = payload && outside_intact
'

expect_success 'the output folder is a symlink to outside: refused; --force replaces the link' '
	rm -rf d && ln -s ../outside d && must_fail --code=1 cairn checkout d 2>err && outside_intact &&
	cairn checkout --force d && path_is_dir d && test "$(cat d/sub/f)" = payload && outside_intact
'

expect_success 'a pointer lying about the size: an error, and the good object is kept' '
	mkptr liar.cairn liar file $F 12345 && must_fail --code=1 cairn checkout liar 2>err &&
	grep_q "12345" err && no_grep "moved to" err && path_is_missing liar &&
	path_is_file .cairn/cache/sha256/$(echo $F | cut -c1-2)/$(echo $F | cut -c3-) && rm liar.cairn
'

expect_success 'status of a hostile folder pointer reports an error, not a crash' '
	mkdir_ptr "{\"name\":\"..\",\"sha256\":\"$F\",\"size\":8,\"type\":\"file\"}" 8 1 &&
	rm -rf d && mkdir d && echo x >d/x && must_fail --code=1 cairn status d 2>err &&
	grep_q "^cairn: error: " err && rm -rf d d.cairn
'

test_done
