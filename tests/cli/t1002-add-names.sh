#!/bin/sh
# t1002-add-names: unusual file names are data, never options or patterns:
# a leading dash (C06); : space [ ] # = % ? * + ! and unicode, at the top
# and at depth (C38, the local part); NFC and NFD spellings kept as two
# exact byte strings, also in a clone (C39).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r
git commit -q --allow-empty -m init

names='0:0|a b.txt|55MiB[1].test|#Files|x=y|100%|q?.bin|star*.dat|plus+sign|ünïcødé| lead|trail |!bang|back\slash|semi;colon|"quoted"|it'"'"'s'

expect_success 'a name starting with a dash, after -- (C06)' '
	printf "x\n" >./-T_song.mp3 && printf "y\n" >./--force &&
	cairn add -- -T_song.mp3 --force >out && grep_q "^added -T_song.mp3 " out &&
	grep_q "^added --force " out && path_is_file ./-T_song.mp3.cairn && path_is_file ./--force.cairn &&
	git check-ignore -q -- -T_song.mp3 && git check-ignore -q -- --force &&
	cairn status >out && grep_q "^up to date: 2" out &&
	rm -- -T_song.mp3 --force && cairn checkout -- -T_song.mp3.cairn --force.cairn &&
	test "$(cat ./-T_song.mp3)" = x && test "$(cat ./--force)" = y
'

expect_success 'every odd name at the top: added, ignored exactly, restored (C38)' '
	IFS="|"; for n in $names; do printf "%s\n" "$n" >"$n"; done
	for n in $names; do
		cairn -q add -- "$n" || exit 1
		path_is_file "$n.cairn" || exit 1
		git check-ignore -q --no-index -- "$n" || { echo "not ignored: $n"; exit 1; }
	done
	echo other >55MiB1.test && echo other >starX.dat && echo other >qX.bin &&
	! git check-ignore -q -- 55MiB1.test && ! git check-ignore -q -- starX.dat &&
	! git check-ignore -q -- qX.bin &&
	for n in $names; do rm -- "$n"; done
	cairn -q checkout &&
	for n in $names; do test "$(cat -- "$n")" = "$n" || { echo "bad: $n"; exit 1; }; done
	cairn status >out && grep_q "^up to date" out
'

expect_success 'the same names at depth, inside a folder (C38)' '
	mkdir -p "d/sub dir" && IFS="|" &&
	for n in $names; do printf "%s\n" "$n" >"d/sub dir/$n"; done
	cp -r d expected_d && cairn add d >out && grep_q "^added d (17 files" out &&
	m=.cairn/cache/sha256/$(ptr_sha d.cairn | cut -c1-2)/$(ptr_sha d.cairn | cut -c3-) &&
	sub=$(python3 -c "import json,sys; print([e[\"sha256\"] for e in json.load(open(sys.argv[1]))[\"entries\"] if e[\"name\"]==\"sub dir\"][0])" "$m") &&
	python3 -c "import json,sys; e=json.load(open(sys.argv[1]))[\"entries\"]; print(len(e))" \
		.cairn/cache/sha256/$(echo $sub | cut -c1-2)/$(echo $sub | cut -c3-) >n &&
	test "$(cat n)" = 17 && rm -rf d && cairn -q checkout d && diff -r d expected_d &&
	cairn status d >out && grep_q "up to date" out
'

expect_success 'a name with brackets named directly matches only itself (C38)' '
	mkdir g && echo 1 >"g/55MiB[1].test" && echo 2 >g/55MiB1.test &&
	cairn -q add "g/55MiB[1].test" && path_is_file "g/55MiB[1].test.cairn" &&
	path_is_missing g/55MiB1.test.cairn && git check-ignore -q "g/55MiB[1].test" &&
	! git check-ignore -q g/55MiB1.test
'

expect_success 'NFC and NFD spellings are two names, kept as bytes (C39)' '
	mkdir u && printf "nfc\n" >"u/$(printf "H\303\251roique.txt")" &&
	printf "nfd\n" >"u/$(printf "He\314\201roique.txt")" && cairn add u >out &&
	grep_q "^added u (2 files" out && cairn status u >out && grep_q "up to date" out &&
	git add -A && git commit -qm names
'

expect_success 'a clone restores both NFC and NFD files, status clean in both (C39)' '
	git clone -q . ../clone && mkdir -p ../clone/.cairn && cp -r .cairn/cache ../clone/.cairn/ &&
	cd ../clone && cairn -q checkout && test "$(cat "u/$(printf "H\303\251roique.txt")")" = nfc &&
	test "$(cat "u/$(printf "He\314\201roique.txt")")" = nfd && ls u | wc -l >n &&
	test "$(cat n)" = 2 && rm n && cairn status >out && grep_q "^up to date" out &&
	cd ../r && cairn status >out && grep_q "^up to date" out
'

test_done
