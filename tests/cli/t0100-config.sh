#!/bin/sh
# t0100-config: cairn config reads and writes settings at each level
# (DESIGN 2), --unset and --list, snake_case names made camelCase, and
# credentials kept in .cairn/config.local and never printed.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'set then get a value (written to .cairn/config)' '
	cairn config core.jobs 3 &&
	cairn config core.jobs >out && echo 3 >want && cmp_expected want out &&
	grep_q "jobs = 3" .cairn/config && no_grep "jobs" .cairn/config.local 2>/dev/null || true
'

expect_success '--local writes .cairn/config.local, which wins over .cairn/config' '
	cairn config --local core.jobs 5 && grep_q "jobs = 5" .cairn/config.local &&
	cairn config core.jobs >out && echo 5 >want && cmp_expected want out &&
	cairn config --local core.jobs >out && cmp_expected want out
'

expect_success '--global writes the user file, which the repository overrides' '
	cairn config --global cache.type copy &&
	grep_q "type = copy" "$XDG_CONFIG_HOME/cairn/config" &&
	cairn config cache.type >out && echo copy >want && cmp_expected want out &&
	cairn config cache.type reflink,copy && cairn config cache.type >out &&
	echo reflink,copy >want && cmp_expected want out
'

expect_success '--global works outside any repository' '
	mkdir -p ../plain && (cd ../plain && cairn config --global core.lockTimeout 9 &&
		cairn config --global core.lockTimeout >../out) &&
	echo 9 >../want && cmp_expected ../want ../out
'

expect_success 'outside a repository a level-less read is refused' '
	(cd ../plain && must_fail --code=1 cairn config core.jobs 2>../err) &&
	grep_q "^cairn: error: not inside a git repository" ../err
'

expect_success 'a missing key: one error line, exit 1' '
	must_fail --code=1 cairn config no.such 2>err &&
	grep_q "^cairn: error: .no.such. is not set" err
'

expect_success '--unset removes a key at the chosen level' '
	cairn config --unset core.jobs && cairn config core.jobs >out &&
	echo 5 >want && cmp_expected want out &&
	cairn config --local --unset core.jobs && must_fail cairn config core.jobs
'

expect_success '--unset of a missing key fails' '
	must_fail --code=1 cairn config --unset core.nothing 2>err && grep_q "no such key" err
'

expect_success 'environment CAIRN_SECTION_KEY overrides for one run' '
	CAIRN_CORE_JOBS=7 cairn config core.jobs >out && echo 7 >want && cmp_expected want out
'

expect_success 'snake_case names are stored camelCase (git-config names hold no _)' '
	cairn config remote.x.path_style true &&
	grep_q "pathStyle = true" .cairn/config &&
	cairn config remote.x.pathStyle >out && echo true >want && cmp_expected want out
'

expect_success 'a credential goes to config.local even without --local' '
	cairn config remote.x.secret_access_key S3CR3T-VALUE 2>err &&
	grep_q "secretAccessKey = S3CR3T-VALUE" .cairn/config.local &&
	no_grep S3CR3T .cairn/config && grep_q "config.local" err
'

expect_success 'secrets are never printed: get and --list mask them' '
	cairn config --local remote.x.session_token T0K3N-VALUE &&
	cairn config remote.x.secretAccessKey >out 2>&1 && no_grep S3CR3T out &&
	grep_q "^\*\*\*\*\*\*\*\*$" out &&
	cairn config --list >out 2>&1 && no_grep S3CR3T out && no_grep T0K3N out &&
	grep_q "^remote.x.secretaccesskey=\*\*\*\*\*\*\*\*$" out &&
	grep_q "^remote.x.pathstyle=true$" out
'

expect_success '--list of one level lists only that file' '
	cairn config --local --list >out && grep_q "sessiontoken" out && no_grep "pathstyle" out
'

expect_success 'a credential is refused at the global level' '
	must_fail --code=2 cairn config --global remote.x.secretAccessKey V 2>err &&
	grep_q "credential" err && no_grep "secretaccesskey" "$XDG_CONFIG_HOME/cairn/config"
'

expect_success 'a credential hand-written in .cairn/config is masked and warned about' '
	printf "[remote \"y\"]\n\taccessKeyId = AKIAEXAMPLE\n" >>.cairn/config &&
	cairn config --list >out 2>err && no_grep AKIAEXAMPLE out && no_grep AKIAEXAMPLE err &&
	grep_q "warning:.*committed" err
'

expect_success 'usage errors exit 2' '
	must_fail --code=2 cairn config 2>err && grep_q "KEY" err &&
	must_fail --code=2 cairn config --list extra &&
	must_fail --code=2 cairn config --local --global a.b &&
	must_fail --code=2 cairn config nodot 2>err && grep_q "invalid key" err &&
	must_fail --code=2 cairn config --unset a.b c &&
	must_fail --code=2 cairn config a.b c d &&
	must_fail --code=2 cairn config --bogus
'

expect_success 'a malformed value is reported, not ignored' '
	cairn config core.lockTimeout soon &&
	must_fail --code=1 cairn add nothing 2>err && grep_q "not a number" err &&
	cairn config --unset core.lockTimeout
'

test_done
