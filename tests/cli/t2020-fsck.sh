#!/bin/sh
# t2020-fsck: cairn fsck rehashes every cache object and checks the
# manifests the workspace reaches; a flipped byte is reported (exit 1) and,
# with --repair, moved to .cairn/tmp/quarantine/, never deleted (C21).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

obj_path() {
	echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}
flip() { # flip FILE: change its first byte, keeping the size
	chmod u+w "$1" && printf 'X' | dd of="$1" bs=1 count=1 conv=notrunc 2>/dev/null && chmod 444 "$1"
}

new_repo r && cd r || exit 1
echo data >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b
cairn -q add f d || exit 1

expect_success 'a sound cache passes (exit 0) with a summary' '
	cairn fsck >out && grep_q "^checked 5 objects (.*): 0 corrupt, 0 bad manifests, 0 missing$" out
'

expect_success 'C21: a flipped byte is found (exit 1), nothing is moved without --repair' '
	o=$(obj_path $(ptr_sha f.cairn)) && flip $o &&
	must_fail --code=1 cairn fsck >out 2>err &&
	grep_q "^corrupt: $(ptr_sha f.cairn) (content hashes to " out &&
	grep_q "^cairn: error: 1 corrupt object in the cache$" err && grep_q "fsck --repair" err &&
	path_is_file $o
'

expect_success 'C21: checkout of a corrupt object with cache.verify refuses and quarantines' '
	rm f && must_fail --code=1 env CAIRN_CACHE_VERIFY=true cairn checkout f 2>err &&
	grep_q "corrupt" err && path_is_missing f && ls .cairn/tmp/quarantine >q &&
	grep_q "$(ptr_sha f.cairn)" q && rm -r .cairn/tmp/quarantine &&
	echo data >f && cairn -q add f
'

expect_success '--repair moves the corrupt object to the quarantine, keeping its bytes' '
	o=$(obj_path $(ptr_sha f.cairn)) && flip $o && cp $o corrupt.copy &&
	must_fail --code=1 cairn fsck --repair >out 2>err &&
	grep_q "^corrupt: $(ptr_sha f.cairn) .*; moved to .*/.cairn/tmp/quarantine/$(ptr_sha f.cairn).$" out &&
	grep_q "moved to the quarantine" err && path_is_missing $o &&
	cmp corrupt.copy .cairn/tmp/quarantine/$(ptr_sha f.cairn)
'

expect_success 'after the repair the cache is sound; the output counts as not fetched' '
	cairn fsck >out && grep_q "0 corrupt" out && grep_q "^1 tracked output is not in the cache" out
'

expect_success 're-adding the data restores the object; a second quarantine keeps the first' '
	cairn -q add f && o=$(obj_path $(ptr_sha f.cairn)) && path_is_file $o && flip $o &&
	must_fail cairn fsck --repair >out &&
	path_is_file .cairn/tmp/quarantine/$(ptr_sha f.cairn) &&
	path_is_file .cairn/tmp/quarantine/$(ptr_sha f.cairn).1 && cairn -q add f
'

expect_success 'a corrupt manifest is found and quarantined' '
	root=$(ptr_sha d.cairn) && flip $(obj_path $root) &&
	must_fail --code=1 cairn fsck --repair >out && grep_q "^corrupt: $root" out &&
	path_is_file .cairn/tmp/quarantine/$root && cairn -q add d && cairn fsck >/dev/null
'

expect_success 'a missing member of a manifest is reported with its path' '
	b=$(sha256 d/sub/b) && rm -f $(obj_path $b) &&
	must_fail --code=1 cairn fsck >out 2>err && grep_q "^missing: $b (d/sub/b)$" out &&
	grep_q "1 problem in the cache" err && cairn -q add d
'

expect_success 'a manifest that hashes right but does not parse is reported' '
	printf "not a manifest" >bad && sha=$(sha256 bad) && o=$(obj_path $sha) &&
	mkdir -p $(dirname $o) && cp bad $o && chmod 444 $o &&
	printf "outs:\n- path: broken\n  hash: sha256\n  sha256: %s\n  size: 1\n  nfiles: 1\n  type: dir\n" $sha >broken.cairn &&
	must_fail --code=1 cairn fsck >out && grep_q "^bad manifest: $sha (broken): " out &&
	rm broken.cairn
'

expect_success 'outputs whose data was never fetched are not a problem' '
	printf "outs:\n- path: elsewhere\n  hash: sha256\n  sha256: %s\n  size: 1\n  type: file\n" \
		$(printf zz | sha256sum | cut -c1-64) >elsewhere.cairn &&
	cairn fsck >out && grep_q "^1 tracked output is not in the cache" out && rm elsewhere.cairn
'

expect_success 'a plain fsck does not wait for the lock; --repair does' '
	( CAIRN_TEST_FAULT=lock-held:1:sleep=3000 cairn add f >/dev/null 2>&1 & echo $! >pid; wait ) &
	for i in $(seq 1 100); do test -s .cairn/tmp/lock && break; sleep 0.05; done &&
	test -s .cairn/tmp/lock &&
	cairn fsck >out 2>err && no_grep "waiting" err &&
	must_fail --code=1 env CAIRN_CORE_LOCKTIMEOUT=0 cairn fsck --repair 2>err &&
	grep_q "another cairn process (pid [0-9]*) holds the lock" err; rc=$?
	wait; exit $rc
'

expect_success '-j 1 works; a bad -j is a usage error' '
	cairn fsck -j 1 >out && grep_q "0 corrupt" out &&
	must_fail --code=2 cairn fsck -j 0 2>err && grep_q "jobs" err &&
	must_fail --code=2 cairn fsck -j lots && must_fail --code=2 cairn fsck extra && true
'

expect_success 'no progress on a stderr that is not a terminal' '
	cairn fsck >out 2>err && test ! -s err
'

test_done
