#!/bin/sh
# t9010-remote-url-credentials: a URL that holds a user and password is
# refused by every writer (remote add and modify for every URL kind, not
# only http; config remote.NAME.url and .endpoint), and one already in a
# configuration file is never printed (config --list, config KEY, remote
# list, the "exists already" error) nor used (push, fetch, status -c refuse
# it before a backend could name it in an error).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
cairn remote add -d origin "$TRASH/store" >/dev/null
echo data >f && cairn -q add f
cd "$TRASH"

expect_success 'remote add refuses credentials in any kind of URL' '
	cd r &&
	for u in "s3://AKIA:SEKRIT1@bucket/p" "file://u:SEKRIT1@localhost/tmp/x" \
		"https://u:SEKRIT1@example.invalid/x" "http://u@example.invalid/x"; do
		must_fail --code=2 cairn remote add x "$u" 2>err &&
		grep_q "^cairn: error: remote .x.: the URL holds credentials" err &&
		no_grep SEKRIT err || exit 1
	done &&
	cairn remote list >out && no_grep "^x" out && no_grep SEKRIT .cairn/config
'

expect_success 'remote modify and config refuse them too' '
	cd r &&
	must_fail --code=2 cairn remote modify origin url "s3://K:SEKRIT2@b/p" 2>err &&
	no_grep SEKRIT err &&
	must_fail --code=2 cairn config remote.origin.url "https://u:SEKRIT2@h/" 2>err &&
	must_fail --code=2 cairn config Remote.origin.URL "https://u:SEKRIT2@h/" &&
	must_fail --code=2 cairn config --local remote.origin.endpoint "http://k:SEKRIT2@h" &&
	no_grep SEKRIT2 .cairn/config && no_grep SEKRIT2 .cairn/config.local &&
	cairn config remote.origin.url >out && grep_q "/store$" out
'

expect_success 'a URL with credentials put in the file by hand is masked wherever shown' '
	cd r && git config -f .cairn/config remote.web.url "https://u:SEKRIT3@example.invalid/x" &&
	git config -f .cairn/config.local remote.s3.endpoint "http://k:SEKRIT3@127.0.0.1:1" &&
	cairn config --list >out && grep_q "^remote.web.url=https://\*\*\*\*\*\*\*\*@example.invalid/x$" out &&
	grep_q "^remote.s3.endpoint=http://\*\*\*\*\*\*\*\*@127.0.0.1:1$" out && no_grep SEKRIT out &&
	cairn config remote.web.url >out && no_grep SEKRIT out &&
	cairn -v remote list >out && grep_q "^web	https://\*\*\*\*\*\*\*\*@example" out && no_grep SEKRIT out &&
	must_fail cairn remote add web ../else 2>err && grep_q "exists already" err && no_grep SEKRIT err
'

expect_success 'push, fetch, pull and status -c refuse it without printing it' '
	cd r &&
	for c in push fetch pull "status -c"; do
		must_fail --code=1 cairn -v $c -r web >out 2>err &&
		grep_q "^cairn: error: remote .web.: the URL holds credentials" err &&
		no_grep SEKRIT err && no_grep SEKRIT out || exit 1
	done
'

expect_success 'a clean URL still works, and an @ in a path is no credential' '
	cd r && mkdir "$TRASH/at@home" && cairn remote add at "$TRASH/at@home/store" &&
	cairn push -r at >out && grep_q "^pushed 1 object" out &&
	cairn remote modify web url https://example.invalid/x && cairn remote list >out &&
	grep_q "^web	https://example.invalid/x$" out
'

test_done
