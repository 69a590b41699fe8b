#!/bin/sh
# t1010-pointers: pointer files as Git sees them (cairn-pointer(5)): the
# exact bytes written, a pointer from an older commit restores that version,
# every command names a malformed pointer and its line, pointers in .git,
# .cairn, nested repositories and tracked folders are not outputs.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r

expect_success 'the bytes of a file pointer and a folder pointer' '
	printf "123" >num && cairn -q add num &&
	printf "outs:\n- path: num\n  hash: sha256\n  sha256: a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3\n  size: 3\n  type: file\n" >want &&
	cmp_expected want num.cairn && mkdir e && cairn -q add e &&
	printf "outs:\n- path: e\n  hash: sha256\n  sha256: %s\n  size: 0\n  nfiles: 0\n  type: dir\n" \
		"$(printf "{\"entries\":[],\"version\":1}" | sha256sum | cut -c1-64)" >want && cmp_expected want e.cairn
'

expect_success 'a name YAML would misread is quoted and read back' '
	echo y >yes && echo 1 >123 && cairn -q add yes 123 && grep_q "^- path: .yes.$" yes.cairn &&
	grep_q "^- path: .123.$" 123.cairn && cairn status yes 123 >out && grep_q "up to date: 2" out
'

expect_success 'the pointer of an older commit restores that version' '
	echo v1 >f && cairn -q add f && git add -A && git commit -qm v1 && echo v2 >f && cairn -q add f &&
	git commit -qam v2 && git checkout -q HEAD~1 -- f.cairn && cairn status f >out &&
	grep_q "^modified: f$" out && cairn checkout f && test "$(cat f)" = v1 &&
	git checkout -q HEAD -- f.cairn && cairn checkout f && test "$(cat f)" = v2
'

for case in 'outs: [|line [0-9]' 'outs:\n- path: f\n  sha256: zz\n|line 3' \
	'outs:\n- path: f\n  sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n  size: 0\n|missing .type.' \
	'outs:\n- path: g\n  sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n  size: 0\n  type: file\n|tracks .g.'; do
	text=${case%|*} why=${case#*|}
	expect_success "a malformed pointer ($why) stops status, checkout and commit" '
		printf "'"$text"'" >bad.cairn && for c in status checkout commit; do
			must_fail --code=1 cairn $c 2>err || exit 1
			grep_q "^cairn: error: .*bad.cairn.*'"$why"'" err || exit 1
		done
		rm bad.cairn
	'
done

expect_success 'pointers in .git, .cairn, nested repositories and tracked folders are not outputs' '
	cp num.cairn .cairn/x.cairn && mkdir -p .git/y && cp num.cairn .git/y/num.cairn &&
	git init -q nested && cp num.cairn nested/num.cairn && mkdir -p tracked && echo t >tracked/t &&
	cairn -q add tracked && printf "junk\n" >tracked/j.cairn && cairn status >out 2>err &&
	grep_q "^modified: tracked$" out && no_grep "nested" out && rm tracked/j.cairn &&
	cairn status >out && grep_q "^up to date: 6 tracked outputs$" out
'

expect_success 'a pointer larger than 64 KiB is refused' '
	cp num.cairn big.cairn && head -c 70000 /dev/zero | tr "\0" "#" >>big.cairn &&
	must_fail --code=1 cairn status big 2>err && grep_q "big.cairn" err && rm big.cairn
'

test_done
