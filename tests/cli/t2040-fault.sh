#!/bin/sh
# t2040-fault: cairn add killed with SIGKILL at every stage of an insert
# (while copying into the cache, before a rename, between renames, before
# the pointer, before the .gitignore entry) leaves a cache holding only
# objects that match their names, and a rerun completes. The kill points
# come from CAIRN_TEST_FAULT (core/fault.h); a few kills at random times
# follow.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1
mkdir -p d/sub
for i in $(seq 1 30); do printf 'small file %s\n' "$i" >d/f$i; done
for i in 1 2 3; do head -c 50000 /dev/urandom >d/sub/m$i; done
head -c 9000000 /dev/urandom >d/sub/big   # synced and renamed on its own
cp -r d d.orig

# killed_at POINT: add d with a kill at POINT; it must die by SIGKILL
killed_at() {
	CAIRN_TEST_FAULT=$1 cairn -q add d >/dev/null 2>&1
	test $? = 137 || { echo "add did not die at $1"; return 1; }
}

# sound: every object matches its name, and a rerun restores d exactly
sound() {
	objects_ok .cairn/cache && cairn -q add d && cairn status d >st && grep_q "up to date" st &&
	rm -rf d && cairn -q checkout d && diff -r d d.orig
}

reset() { # forget d entirely: cache, pointer, state
	rm -rf .cairn/cache d.cairn .cairn/tmp/state* .gitignore && cp -r d.orig/. d/
}

for point in cache-write:1 cache-write:20 cache-write:33 cache-finish:1 cache-finish:25 \
	cache-flush:1 cache-publish:1 cache-publish:10 cache-publish:33 lock-held:1; do
	expect_success "killed at $point: no pointer, only sound objects, a rerun completes" '
		reset && killed_at '"$point"' && path_is_missing d.cairn && sound
	'
done

expect_success 'killed before the pointer is written: the old pointer stays valid' '
	reset && cairn -q add d && old=$(ptr_sha d.cairn) && echo changed >d/f1 &&
	killed_at add-pointer && test "$(ptr_sha d.cairn)" = "$old" &&
	objects_ok .cairn/cache && cp d/f1 f1.new && cp d.orig/f1 d/f1 &&
	cairn status d >st && grep_q "up to date" st && cp f1.new d/f1 && cairn -q add d &&
	test "$(ptr_sha d.cairn)" != "$old" && cp d.orig/f1 d/f1 && cairn -q add d
'

expect_success 'killed before the .gitignore entry: the rerun adds it' '
	reset && killed_at add-ignore && path_is_file d.cairn && path_is_missing .gitignore &&
	objects_ok .cairn/cache && cairn status d >st && grep_q "up to date" st &&
	cairn -q add d && grep_q "^/d$" .gitignore && sound
'

expect_success 'temp files of killed adds never count as objects' '
	reset && killed_at cache-publish:5 && find .cairn/cache/tmp -type f >tmps && test -s tmps &&
	objects_ok .cairn/cache && cairn fsck >out && grep_q "0 corrupt" out
'

expect_success 'kills at random moments leave only sound objects' '
	reset && for delay in 0.01 0.03 0.06 0.1 0.15; do
		cairn -q add d >/dev/null 2>&1 & pid=$!
		sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		objects_ok .cairn/cache || exit 1
	done && sound
'

test_done
