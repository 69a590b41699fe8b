#!/bin/sh
# t9811-config-local-private: .cairn/config.local holds the S3 secret, so
# every write of it (cairn remote modify, cairn config, --unset) leaves it
# readable by its owner only (0600), whatever the umask and even when it was
# 0644 before; libgit2 renames a new file over it, which used to make it
# 0644 again on every write. The committed .cairn/config keeps the umask's mode.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1
umask 022

mode() { stat -c %a "$1"; }

expect_success 'remote modify of a credential creates config.local 0600' '
	cairn -q remote add -d s3 s3://bucket/prefix &&
	path_is_missing .cairn/config.local &&
	cairn remote modify s3 secret_access_key s3cr3t 2>err &&
	test "$(mode .cairn/config.local)" = 600 &&
	test "$(mode .cairn/config)" = 644
'

expect_success 'a config.local made 0644 by hand is 0600 after the next write' '
	chmod 644 .cairn/config.local &&
	cairn remote modify s3 access_key_id AKIDEXAMPLE 2>err &&
	test "$(mode .cairn/config.local)" = 600 &&
	chmod 644 .cairn/config.local &&
	cairn -q remote modify --local s3 jobs 4 &&
	test "$(mode .cairn/config.local)" = 600
'

expect_success 'cairn config --local and --unset keep it 0600' '
	rm .cairn/config.local &&
	cairn config --local core.jobs 2 && test "$(mode .cairn/config.local)" = 600 &&
	chmod 644 .cairn/config.local &&
	cairn config --local --unset core.jobs && test "$(mode .cairn/config.local)" = 600
'

expect_success 'the umask of the command is left as it was for other files' '
	cairn remote modify s3 secret_access_key other 2>err &&
	echo data >f && cairn -q add f && test "$(mode f.cairn)" = 644 &&
	test "$(mode .cairn/config)" = 644
'

expect_success 'a credential given as - is read from standard input (not in ps or history)' '
	printf "FROMSTDIN\n" | cairn remote modify s3 secret_access_key - 2>err &&
	grep_q "secretAccessKey = FROMSTDIN$" .cairn/config.local && no_grep FROMSTDIN err &&
	printf "KEYID\r\n" | cairn config remote.s3.access_key_id - &&
	grep_q "accessKeyId = KEYID$" .cairn/config.local &&
	must_fail --code=1 cairn remote modify s3 secret_access_key - </dev/null 2>err &&
	grep_q "^cairn: error: .-. reads the value of .secret_access_key. from standard input, which gave none$" err &&
	grep_q "secretAccessKey = FROMSTDIN$" .cairn/config.local &&
	cairn remote modify s3 region - </dev/null && grep_q "region = -$" .cairn/config
'

test_done
