#!/bin/sh
# t2520-gc-cloud: cairn gc --cloud [-r NAME]: without --force it only lists
# the remote objects no kept scope names; with --force it deletes exactly
# those, on the named remote only, leaving the local cache alone. A
# read-only remote refuses. Objects younger than gc.grace stay. Folder
# manifests the cache lacks are fetched first (else the files they name
# would look like garbage); one the remote lacks too stops gc.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export CAIRN_GC_GRACE=0
mkdir store other

rcount() { find "$1" -type f -path "*/sha256/*" | wc -l | tr -d " "; }
rhas() { test -f "$1/sha256/$(echo $2 | cut -c1-2)/$(echo $2 | cut -c3-)"; }
id() { echo "$1" | sha256sum | cut -c1-64; }

new_repo r && cd r

expect_success 'setup: three versions pushed to two remotes' '
	cairn remote add -d origin ../store && cairn remote add backup ../other &&
	echo v1 >f && cairn add -q f && git add -A && git commit -qm v1 && git tag v1 &&
	cairn push -q && cairn push -q -r backup &&
	chmod u+w f && echo v2 >f && cairn add -q f && git commit -qam v2 && cairn push -q &&
	chmod u+w f && echo v3 >f && cairn add -q f && git add f.cairn &&
	cairn push -q && cairn push -q -r backup &&
	test $(rcount ../store) = 3 && test $(rcount ../other) = 2
'

expect_success 'the grace: objects written to the remote within gc.grace stay, even with --force' '
	CAIRN_GC_GRACE=1h cairn gc --cloud -w -T --force >out &&
	grep_q "^kept 1 unreferenced object on .origin. younger than gc.grace$" out &&
	grep_q "^removed 0 of 3 objects on .origin.$" out && test $(rcount ../store) = 3 &&
	o=../store/sha256/$(id v2 | cut -c1-2)/$(id v2 | cut -c3-) && touch -d "-2 hours" $o &&
	CAIRN_GC_GRACE=1h cairn gc --cloud -w -T -d >out &&
	grep_q "^would remove $(id v2) from .origin.$" out && test $(rcount ../store) = 3
'

expect_success 'without --force: a listing, nothing deleted' '
	cairn gc --cloud -w -T >out &&
	grep_q "^would remove $(id v2) from .origin.$" out &&
	grep_q "^would remove 1 of 3 objects on .origin.$" out &&
	grep_q "^nothing was deleted: run again with --force" out &&
	test $(rcount ../store) = 3
'

expect_success 'the listing is ordered and exact for each scope' '
	cairn gc --cloud -A -d >out && grep_q "^would remove 0 of 3 objects" out &&
	cairn gc --cloud --rev v1 >out && grep_q "^would remove 1 of 3 objects" out &&
	grep_q "^would remove $(id v2) from" out &&
	cairn gc --cloud -w >out && grep_q "^would take data that branches and tags name: .f. of HEAD, .f. of refs/tags/v1$" out &&
	grep_q "^would remove 2 of 3 objects" out && test $(rcount ../store) = 3
'

expect_success '--force deletes exactly those, on that remote only' '
	cairn gc --cloud -w -T --force >out &&
	grep_q "^removed $(id v2) from .origin.$" out && grep_q "^removed 1 of 3 objects on .origin.$" out &&
	test $(rcount ../store) = 2 && rhas ../store $(id v1) && rhas ../store $(id v3) &&
	test $(rcount ../other) = 2 && path_is_file .cairn/cache/sha256/$(id v2 | cut -c1-2)/$(id v2 | cut -c3-)
'

expect_success '-r picks the remote; --force takes what tags name too' '
	cairn gc --cloud -r backup -w --force >out &&
	grep_q "^taking data that branches and tags name: .*.f. of refs/tags/v1" out &&
	grep_q "^removed $(id v1) from .backup.$" out && test $(rcount ../other) = 1 &&
	test $(rcount ../store) = 2
'

expect_success '--force with --dry-run deletes nothing' '
	cairn gc --cloud -w --force -d >out && grep_q "^would remove $(id v1) from .origin." out &&
	test $(rcount ../store) = 2
'

expect_success 'errors: unknown remote, read-only remote, no scope' '
	must_fail --code=1 cairn gc --cloud -r nope -w 2>err && grep_q "nope" err &&
	must_fail --code=2 cairn gc --cloud 2>err && grep_q "say what to keep" err &&
	cairn remote add ro http://127.0.0.1:9/x &&
	must_fail --code=1 cairn gc --cloud -r ro -w --force 2>err && grep_q "read-only" err
'

expect_success 'a folder whose manifests are not in the cache: they are fetched, its files stay' '
	mkdir -p dd/s && echo a >dd/a && echo b >dd/s/b && cairn add -q dd && git add -A &&
	git commit -qm dd && cairn push -q && n=$(rcount ../store) && rm -rf .cairn/cache &&
	cairn gc --cloud -w -T -a --force >out 2>err && grep_q "^removed 0 of $n objects" out &&
	test $(rcount ../store) = $n && ! grep -q "not in the cache" err &&
	cairn status dd >out && grep_q "up to date" out
'

expect_success 'a manifest neither in the cache nor on the remote: gc stops, nothing deleted' '
	m=$(sed -n "s/^  sha256: //p" dd.cairn) && rm -rf .cairn/cache &&
	rm ../store/sha256/$(echo $m | cut -c1-2)/$(echo $m | cut -c3-) && n=$(rcount ../store) &&
	must_fail --code=1 cairn gc --cloud -w -T -a --force >out 2>err &&
	grep_q "^cairn: error: the manifest of .dd. ($m) is neither in the cache nor on .origin." err &&
	grep_q "^cairn: hint: nothing was deleted" err && test $(rcount ../store) = $n
'

test_done
