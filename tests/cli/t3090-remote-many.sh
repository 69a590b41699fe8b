#!/bin/sh
# t3090-remote-many: a folder of 600 small files in 40 subfolders round
# trip through a local remote: every file comes back byte for byte, a
# second push sends nothing and writes nothing, and a change of one file
# sends that file and the manifests on its path only (cost grows with what
# changed). Kept small to stay quick on a busy machine; 20,000 files,
# syscall counts and timings are measured by hand (bench/), not asserted.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

new_repo a && cd a
cairn remote add -d origin "$STORE" >/dev/null
i=0
while [ $i -lt 20 ]; do
	mkdir -p "big/d$i/e" && j=0
	while [ $j -lt 29 ]; do echo "$i.$j" >"big/d$i/f$j"; j=$((j + 1)); done
	echo "deep $i" >"big/d$i/e/g"
	i=$((i + 1))
done
cairn -q add big
git add -A && git commit -qm v1
cd "$TRASH"

expect_success 'push sends 600 files and 41 manifests' '
	cd a && cairn push >out && grep_q "^pushed 641 objects" out &&
	test "$(find "$STORE/sha256" -type f | wc -l)" = 641
'

expect_success 'a second push sends nothing and writes nothing' '
	cd a && touch "$TRASH/mark" && cairn push >out &&
	grep_q "^everything is on .origin. already (641 objects)" out &&
	test -z "$(find "$STORE" -newer "$TRASH/mark")"
'

expect_success 'a clone pulls every file back' '
	git clone -q a b && cd b && cairn pull >out && grep_q "^fetched 641 objects" out &&
	diff -r ../a/big big && cairn status >out && grep_q "^up to date" out &&
	cairn status -c >out && grep_q "^up to date with .origin." out
'

expect_success 'one changed file sends itself and the manifests on its path' '
	cd a && echo changed >big/d7/e/g && cairn -q add big && cairn push >out &&
	grep_q "^pushed 4 objects" out
'

test_done
