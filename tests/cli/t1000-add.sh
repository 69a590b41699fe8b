#!/bin/sh
# t1000-add: cairn add of files and folders: the pointer, the objects, the
# .gitignore line, manifests with exec bits, empty folders and symlinks,
# re-adding unchanged and changed data, raw-byte hashing (C29), zero-byte
# files (C48), relative symlinks from any folder (C01), the state database
# (C13, add and status part), -j and -q.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r

obj() { # HEX: the cache path of an object
	echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}

expect_success 'add a file: pointer, object, .gitignore line' '
	printf "hello\n" >f.txt && cairn add f.txt >out 2>err &&
	grep_q "^added f.txt (6 B)$" out && grep_q "^cairn: hint: record the change in git" err &&
	h=$(sha256 f.txt) && test "$(ptr_sha f.txt.cairn)" = "$h" &&
	cmp_expected f.txt "$(obj $h)" && test "$(stat -c %a "$(obj $h)")" = 444 &&
	printf "outs:\n- path: f.txt\n  hash: sha256\n  sha256: %s\n  size: 6\n  type: file\n" "$h" >want &&
	cmp_expected want f.txt.cairn && grep_q "^/f.txt$" .gitignore &&
	git check-ignore -q f.txt && ! git check-ignore -q f.txt.cairn
'

expect_success 're-adding unchanged data changes nothing' '
	cp f.txt.cairn p.before && cp .gitignore g.before && ls -R .cairn/cache/sha256 >c.before &&
	cairn add f.txt >out 2>err && grep_q "^unchanged f.txt" out && test ! -s err &&
	cmp_expected p.before f.txt.cairn && cmp_expected g.before .gitignore &&
	ls -R .cairn/cache/sha256 >c.after && cmp_expected c.before c.after &&
	test $(grep -c "^/f.txt$" .gitignore) = 1
'

expect_success 're-adding changed data updates the pointer and the cache' '
	old=$(ptr_sha f.txt.cairn) && printf "hello again\n" >f.txt && cairn add f.txt >out &&
	grep_q "^updated f.txt (12 B)$" out && new=$(ptr_sha f.txt.cairn) && test "$new" != "$old" &&
	test "$new" = "$(sha256 f.txt)" && path_is_file "$(obj $new)" && path_is_file "$(obj $old)" &&
	test $(grep -c "^/f.txt$" .gitignore) = 1
'

expect_success 'add a folder: a Merkle tree with exec bits, empty folders and symlinks' '
	mkdir -p data/sub/deeper data/empty && printf "a\n" >data/a.csv && printf "b\n" >data/sub/b.csv &&
	printf "#!/bin/sh\n" >data/run.sh && chmod +x data/run.sh && ln -s a.csv data/latest &&
	ln -s ../a.csv data/sub/up && printf "c\n" >data/sub/deeper/c &&
	cairn add data >out && grep_q "^added data (6 files, 16 B)$" out &&
	grep_q "^  nfiles: 6$" data.cairn && grep_q "^  type: dir$" data.cairn &&
	grep_q "^  size: 16$" data.cairn && grep_q "^/data$" .gitignore &&
	root=$(ptr_sha data.cairn) && m=$(obj $root) && path_is_file "$m" &&
	test "$(sha256sum <"$m" | cut -c1-64)" = "$root" &&
	grep_q "{\"exec\":true,\"name\":\"run.sh\"" "$m" &&
	grep_q "{\"name\":\"latest\",\"target\":\"a.csv\",\"type\":\"symlink\"}" "$m" &&
	grep_q "\"name\":\"empty\",\"nfiles\":0,\"sha256\":\"[0-9a-f]*\",\"size\":0,\"type\":\"dir\"" "$m" &&
	python3 -m json.tool "$m" >/dev/null
'

expect_success 'the manifest of an empty folder is stored' '
	e=$(printf "{\"entries\":[],\"version\":1}" | sha256sum | cut -c1-64) &&
	path_is_file "$(obj $e)"
'

expect_success 'changing one file rewrites only the manifests on its path' '
	ls .cairn/cache/sha256/*/* | sort >before && printf "C\n" >data/sub/deeper/c &&
	cairn add data >out && grep_q "^updated data" out &&
	ls .cairn/cache/sha256/*/* | sort >after && comm -13 before after >new &&
	test $(wc -l <new) = 4
'

expect_success 'raw bytes are hashed: CRLF and LF are different content (C29)' '
	printf "a\r\nb\r\n" >t.txt && cairn -q add t.txt && test "$(ptr_sha t.txt.cairn)" = "$(sha256 t.txt)" &&
	crlf=$(ptr_sha t.txt.cairn) && printf "a\nb\n" >t.txt && cairn status t.txt >out &&
	grep_q "^modified: t.txt$" out && cairn -q add t.txt &&
	test "$(ptr_sha t.txt.cairn)" = "$(sha256 t.txt)" && test "$(ptr_sha t.txt.cairn)" != "$crlf"
'

expect_success 'a CR LF pair split across a read chunk hashes right (C29)' '
	{ head -c 1048575 /dev/zero | tr "\0" x; printf "\r\n"; head -c 10 /dev/zero | tr "\0" y; } >big.txt &&
	cairn -q add big.txt && test "$(ptr_sha big.txt.cairn)" = "$(sha256 big.txt)" &&
	cp big.txt big.orig && rm t.txt big.txt && cairn -q checkout t.txt big.txt &&
	cmp big.txt big.orig && printf "a\nb\n" >t.want && cmp_expected t.want t.txt && rm big.orig t.want
'

expect_success 'a zero-byte file and a folder holding one (C48)' '
	: >empty.bin && mkdir z && : >z/zero && echo x >z/nonzero && cairn add empty.bin z >out &&
	grep_q "^  sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855$" empty.bin.cairn &&
	grep_q "^  size: 0$" empty.bin.cairn && path_is_file "$(obj e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855)" &&
	rm -rf empty.bin z && cairn -q checkout && test "$(stat -c %s empty.bin)" = 0 &&
	test "$(stat -c %s z/zero)" = 0 && cairn status >out && grep_q "^up to date" out
'

expect_success 'a relative symlink is resolved from its folder, whatever the cwd (C01)' '
	mkdir lib && printf "payload\n" >lib/libx.so.1 && ln -s ./libx.so.1 lib/libx.so &&
	(cd / && cairn -C "$OLDPWD" add lib >/dev/null) && path_is_file lib.cairn &&
	(cd lib && cairn -q add .) && cairn -q add lib &&
	cairn status lib >out && grep_q "up to date" out &&
	rm -rf lib && (cd / && cairn -C "$OLDPWD" -q checkout lib) && path_is_link lib/libx.so &&
	test "$(readlink lib/libx.so)" = ./libx.so.1 && test "$(cat lib/libx.so)" = payload &&
	cairn status >out && grep_q "^up to date" out
'

expect_success 'the state database: unchanged files are not read again' '
	mkdir many && for i in 1 2 3 4 5 6 7 8; do echo $i >many/f$i; done &&
	touch -d "2024-01-01 00:00:00" many/* && cairn -q add many &&
	test -s .cairn/tmp/state && cairn -q add many && cairn status many >out && grep_q "up to date" out
'

expect_success 'same size, same mtime, new content is still seen (C13)' '
	printf foo >c13 && cairn -q add c13 && touch -d "2024-01-01 00:00:00" c13 &&
	cairn status c13 >out && grep_q "up to date" out && cairn status c13 >out &&
	printf bar >c13 && touch -d "2024-01-01 00:00:00" c13 &&
	cairn status c13 >out && grep_q "^modified: c13$" out && cairn -q add c13 &&
	test "$(ptr_sha c13.cairn)" = "$(sha256 c13)" &&
	test "$(ptr_sha c13.cairn)" = fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9
'

expect_success 'a deleted state database only costs time' '
	rm -f .cairn/tmp/state* && cairn status >out && grep_q "^up to date" out &&
	echo junk >.cairn/tmp/state && cairn status >out && grep_q "^up to date" out
'

expect_success '-j N and -q' '
	mkdir par && for i in 1 2 3 4 5 6 7 8 9; do echo $i$i >par/$i; done &&
	cairn add -j 3 -q par >out 2>err && test ! -s out && test ! -s err && path_is_file par.cairn &&
	cairn add --jobs=1 par >out && grep_q "^unchanged par" out
'

expect_success 'several paths at once, from a subfolder' '
	mkdir -p sub && echo 1 >sub/one && echo 2 >sub/two && (cd sub && must_fail --code=1 cairn add one two ../three 2>../err >../out) &&
	grep_q "^cairn: error: .three. does not exist" err && path_is_missing sub/one.cairn &&
	echo 3 >three && (cd sub && cairn add one two ../three >../out) &&
	grep_q "^added sub/one" out && grep_q "^added three" out && path_is_file sub/two.cairn &&
	grep_q "^/one$" sub/.gitignore && grep_q "^/two$" sub/.gitignore && grep_q "^/three$" .gitignore
'

expect_success 'a path through a symlinked folder inside the repository' '
	mkdir real && echo r >real/x && ln -s real alias && cairn add alias/x >out &&
	grep_q "^added real/x" out && path_is_file real/x.cairn && path_is_missing alias/x.cairn.tmp
'

expect_success 'unknown pointer keys survive a re-add' '
	printf "  desc: my notes\nmeta: {owner: ana}\n" >>f.txt.cairn && echo v3 >f.txt &&
	cairn -q add f.txt && grep_q "^  desc: my notes$" f.txt.cairn && grep_q "owner: ana" f.txt.cairn &&
	test "$(ptr_sha f.txt.cairn)" = "$(sha256 f.txt)"
'

expect_success 'an executable file records exec: true' '
	printf "#!/bin/sh\n" >tool && chmod 755 tool && cairn -q add tool && grep_q "^  exec: true$" tool.cairn
'

expect_success 'a file checked out as a cache symlink can be added again (C41)' '
	git config -f .cairn/config cache.type symlink && mkdir c41 && echo A >c41/A.txt &&
	ln -s /nonexistent c41/broken && echo B >c41/B.txt &&
	must_fail --code=1 cairn add c41/A.txt c41/broken c41/B.txt 2>err &&
	grep_q "c41/broken" err && path_is_file c41/A.txt && path_is_missing c41/A.txt.cairn &&
	rm c41/broken && cairn -q add c41/A.txt c41/B.txt && path_is_link c41/A.txt &&
	test "$(cat c41/A.txt c41/B.txt)" = "$(printf "A\nB")" &&
	cairn add c41/A.txt >out && grep_q "^unchanged c41/A.txt" out &&
	cairn status c41 >out && grep_q "up to date: 2" out &&
	git config -f .cairn/config --unset cache.type
'

expect_success 'the hint comes after the results when both streams go to one pipe' '
	echo hint >hint1 && echo hint >hint2 && cairn add hint1 hint2 2>&1 | cat >both &&
	test "$(tail -n 1 both | cut -c1-12)" = "cairn: hint:" && grep_q "^added hint1" both
'

test_done
