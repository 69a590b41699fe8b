#!/bin/sh
# t4093-runcache-exec: outputs restored from the run cache keep their
# executable bit, a file alone or inside a folder, with every cache.type;
# where cache.type cannot place an executable (links only: a shared,
# read-only cache object cannot carry the bit) the run cache is skipped
# and the command runs, instead of repro failing.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
echo 1 >p
cairn stage add -n gen -d p -o tool.sh -o bin \
	'printf "#!/bin/sh\necho hi\n" >tool.sh; chmod +x tool.sh; mkdir -p bin; cp tool.sh bin/t; echo data >bin/d; echo ran >>log' >/dev/null
cairn repro -q

for t in reflink,copy copy; do
	expect_success "cache.type $t: a run-cache restore keeps exec bits" "
		cairn config cache.type $t && echo 2 >p && cairn repro -q &&
		rm -rf tool.sh bin && echo 1 >p && cairn repro >out &&
		grep_q 'restored stage .gen. from the run cache' out &&
		test -x tool.sh && test -x bin/t && ./tool.sh >o && grep_q hi o &&
		cairn status >st && grep_q 'up to date' st
	"
done

for t in hardlink symlink hardlink,symlink; do
	expect_success "cache.type $t: the command runs instead, exec bits kept" "
		cairn config cache.type $t && echo 2 >p && cairn repro -q &&
		rm -rf tool.sh bin && echo 1 >p && n=\$(wc -l <log) && cairn repro >out &&
		grep_q 'stage .gen. done' out && test \$(wc -l <log) = \$((n + 1)) &&
		test -x tool.sh && test -x bin/t && cairn status >st && grep_q 'up to date' st
	"
done

test_done
