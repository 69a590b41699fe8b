#!/bin/sh
# t0110-remote: cairn remote add|list|remove|modify|default: remotes in the
# configuration, the default remote, known settings and their types, and
# credentials kept in .cairn/config.local and never printed.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'add a remote; list shows it' '
	cairn remote add store ../store &&
	cairn remote list >out && printf "store\t../store\n" >want && cmp_expected want out &&
	grep_q "\[remote \"store\"\]" .cairn/config && grep_q "url = ../store" .cairn/config
'

expect_success 'add -d makes it the default remote' '
	cairn remote add -d s3r s3://bucket/prefix &&
	cairn remote list >out && grep_q "^s3r	s3://bucket/prefix	(default)$" out &&
	cairn remote default >out && echo s3r >want && cmp_expected want out &&
	grep_q "remote = s3r" .cairn/config
'

expect_success 'remote default NAME changes the default' '
	cairn remote default store && cairn remote default >out &&
	echo store >want && cmp_expected want out
'

expect_success 'remote default of an unknown remote fails and changes nothing' '
	must_fail --code=1 cairn remote default nope 2>err && grep_q "no remote .nope." err &&
	cairn remote default >out && echo store >want && cmp_expected want out
'

expect_success 'adding a remote twice fails and keeps the first URL' '
	must_fail --code=1 cairn remote add store /elsewhere 2>err &&
	grep_q "exists already" err && cairn config remote.store.url >out &&
	echo ../store >want && cmp_expected want out
'

expect_success 'file://, http(s):// and plain paths are accepted URLs' '
	cairn remote add f file:///tmp/x && cairn remote add h https://example.com/data &&
	cairn remote add p /abs/path && cairn remote list >out &&
	grep_q "^f	file:///tmp/x$" out && grep_q "^h	https://example.com/data$" out
'

expect_success 'an unknown URL scheme is refused' '
	must_fail --code=2 cairn remote add x ssh://host/path 2>err &&
	grep_q "unsupported URL" err && no_grep "\"x\"" .cairn/config
'

expect_success 'a URL with a password is refused and the password not echoed' '
	must_fail --code=2 cairn remote add x https://me:hunter2@example.com/d 2>err &&
	no_grep hunter2 err && no_grep hunter2 .cairn/config
'

expect_success 'invalid remote names are refused' '
	for n in "-x" ".x" "a b" "a/b" "a\"b" ""; do
		must_fail --code=2 cairn remote add -- "$n" /x 2>err || exit 1
		grep_q "invalid remote name" err || exit 1
	done
'

expect_success 'modify sets known settings with their types' '
	cairn remote modify s3r region eu-west-1 && cairn remote modify s3r path_style false &&
	cairn remote modify s3r jobs 8 && cairn remote modify s3r multipart_chunk 16m &&
	cairn config remote.s3r.region >out && echo eu-west-1 >want && cmp_expected want out &&
	grep_q "pathStyle = false" .cairn/config && grep_q "multipartChunk = 16m" .cairn/config
'

expect_success 'modify refuses unknown settings, bad values and unknown remotes' '
	must_fail --code=2 cairn remote modify s3r endpointurl http://x 2>err &&
	grep_q "unknown remote setting" err && grep_q "endpoint" err &&
	must_fail --code=2 cairn remote modify s3r jobs many 2>err && grep_q "jobs" err &&
	must_fail --code=2 cairn remote modify s3r jobs 0 &&
	must_fail --code=2 cairn remote modify s3r path_style maybe &&
	must_fail --code=1 cairn remote modify nope region x 2>err && grep_q "no remote .nope." err &&
	no_grep endpointurl .cairn/config
'

expect_success 'credentials go to config.local even without --local, and are never printed' '
	cairn remote modify s3r secret_access_key S3CR3T-VALUE 2>err &&
	cairn remote modify s3r access_key_id AKIA-ID-VALUE &&
	cairn remote modify --local s3r session_token T0K3N-VALUE &&
	grep_q "config.local" err &&
	no_grep S3CR3T .cairn/config && no_grep AKIA-ID .cairn/config &&
	grep_q "secretAccessKey = S3CR3T-VALUE" .cairn/config.local &&
	cairn remote list >out 2>&1 && cairn config --list >>out 2>&1 &&
	cairn -v remote list >>out 2>&1 &&
	no_grep S3CR3T out && no_grep T0K3N out && no_grep AKIA-ID out
'

expect_success 'modify --local writes config.local' '
	cairn remote modify --local store jobs 2 && grep_q "jobs = 2" .cairn/config.local &&
	no_grep "jobs = 2" .cairn/config
'

expect_success 'remove drops every setting of the remote from both files' '
	cairn remote remove s3r && cairn remote list >out && no_grep s3r out &&
	no_grep S3CR3T .cairn/config.local && no_grep region .cairn/config &&
	must_fail cairn config remote.s3r.url
'

expect_success 'remove of the default remote clears core.remote' '
	cairn remote remove store && must_fail --code=1 cairn remote default 2>err &&
	grep_q "no default remote" err
'

expect_success 'remove of an unknown remote fails' '
	must_fail --code=1 cairn remote remove nope 2>err && grep_q "no remote .nope." err
'

expect_success 'add --local keeps a remote out of the committed file' '
	cairn remote add --local -d mine /private/store && no_grep private .cairn/config &&
	grep_q "url = /private/store" .cairn/config.local && cairn remote default >out &&
	echo mine >want && cmp_expected want out
'

expect_success 'a remote name with dots is one name' '
	cairn remote add a.b /ab && cairn remote add a /a && cairn remote remove a &&
	cairn config remote.a.b.url >out && echo /ab >want && cmp_expected want out
'

expect_success 'usage errors exit 2' '
	must_fail --code=2 cairn remote 2>err && grep_q "^usage: cairn remote" err &&
	must_fail --code=2 cairn remote frob 2>err && grep_q "unknown remote subcommand" err &&
	must_fail --code=2 cairn remote add onlyname 2>err && grep_q "usage: cairn remote add" err &&
	must_fail --code=2 cairn remote list extra &&
	must_fail --code=2 cairn remote modify a b &&
	must_fail --code=2 cairn remote remove -d x &&
	must_fail --code=2 cairn remote list --local &&
	must_fail --code=2 cairn remote --bogus list
'

expect_success '--help lists every subcommand; bash completion offers them' '
	cairn remote --help >out && for s in add list remove modify default; do
		grep_q "^ *cairn remote $s" out || exit 1
	done &&
	bash -c ". \"\$1\"; COMP_WORDS=(cairn remote mo); COMP_CWORD=2; _cairn; printf \"%s\n\" \"\${COMPREPLY[@]}\"" \
		x "$CAIRN_SRCDIR/contrib/completion/cairn.bash" >out && grep_q "^modify$" out
'

expect_success 'outside an initialised repository: one clear error' '
	git init -q ../plain && (cd ../plain && must_fail --code=1 cairn remote list 2>../err) &&
	grep_q "cairn init" ../err
'

test_done
