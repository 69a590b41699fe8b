#!/bin/sh
# t3130-s3-server-stop: the S3 server itself stopped in the middle of a
# push, then restarted. The push fails with one error (exit 1); the remote
# holds no object whose bytes differ from its name; the rerun completes and
# a clone pulls everything back byte for byte. Runs a private server
# (tests/s3-server.sh on its own ports, data kept across the restart) so
# the shared one is never stopped; a relay holds the push at a known point
# (after 6 MB) while the server goes down. About 10 s: two server starts.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"
require_s3
. "$CAIRN_SRCDIR/tests/s3-aws.sh"

SRV=$TRASH/srv
mkdir "$SRV"
server() { sh "$CAIRN_SRCDIR/tests/s3-server.sh" "$@" >"$TRASH/.server.log" 2>&1; }
stop_all() { stop_proxies; server stop "$SRV"; }
server start "$SRV" || { cat "$TRASH/.server.log"; skip_all "the private S3 server did not start"; }
trap stop_all EXIT
CAIRN_TEST_S3_ENDPOINT=$(sed -n 's/^export CAIRN_TEST_S3_ENDPOINT=//p' "$SRV/env")
PORT=$(cat "$SRV/run/port")
BUCKET=stop-test
s3_aws s3 mb "s3://$BUCKET" >/dev/null

start_proxy hold proxy "${CAIRN_TEST_S3_ENDPOINT##*:}" --hold-after 6000000 "$TRASH/held" "$TRASH/go"
trap stop_all EXIT
new_repo r && cd r
s3_remote s3 "s3://$BUCKET/p" "http://127.0.0.1:$hold_port"
cairn remote default s3 >/dev/null
cairn remote modify s3 retries 1 && cairn remote modify s3 jobs 3
cairn remote modify s3 multipart_threshold 6m && cairn remote modify s3 multipart_chunk 5m
mkdir d && for i in $(seq 1 12); do head -c 700000 /dev/urandom >d/f$i; done
head -c 14000000 /dev/urandom >d/big
cairn -q add d
cp -a d ../d.saved
git add -A && git commit -qm d

cairn push >../push.out 2>../push.err &
pushpid=$!
wait_for "$TRASH/held" 60 && server stop "$SRV"
touch "$TRASH/go"
wait $pushpid
pushrc=$?

expect_success 'the push fails with one error line, exit 1' '
	test -e "$TRASH/held" && test $pushrc = 1 &&
	test $(grep -c "^cairn: error: " ../push.err) = 1 && ! grep -q "^pushed" ../push.out
'

server start "$SRV" "$PORT" # the same ports: the relay and the remote point there

expect_success 'the server restarts on its ports with its data' '
	server status "$SRV" || { cat "$TRASH/.server.log"; false; }
'

expect_success 'after the restart: no object on the remote differs from its name' '
	s3_check_objects p
'

expect_success 'the rerun completes; status -c is clean' '
	cairn push >out && grep_q "^pushed" out && cairn status -c >out && grep_q "^up to date" out &&
	s3_check_objects p
'

expect_success 'a clone pulls everything back byte for byte' '
	git clone -q . ../clone && cp .cairn/config.local ../clone/.cairn/ && cd ../clone &&
	cairn pull >out && grep_q "^fetched 14 objects" out && diff -r ../d.saved d
'

stop_all # before test_done removes the server's folder
trap - EXIT
test_done
