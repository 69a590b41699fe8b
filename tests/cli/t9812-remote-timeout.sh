#!/bin/sh
# t9812-remote-timeout: remote.NAME.timeout, the seconds a transfer may go
# without a byte: a server that accepts the connection and never answers
# fails after it with a line that says the transfer stalled (libcurl said
# "Operation too slow. Less than 1 bytes/sec transferred the last 60
# seconds", after 60 s a try), and https spoken to a plain HTTP server
# hints at http://. The silent server and the HTTP server are python3 on
# 127.0.0.1.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"
new_repo r && cd r
echo data >f && cairn -q add f && git add -A && git commit -qm f

# a listener that accepts and stays silent; its port goes to silent.port
/usr/bin/python3 -u -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1]); sys.stdout.flush()
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' >"$TRASH/silent.port" 2>/dev/null </dev/null &
proxy_pids="$proxy_pids $!"
trap stop_proxies EXIT
for i in $(seq 1 100); do test -s "$TRASH/silent.port" && break; sleep 0.05; done
SILENT=$(cat "$TRASH/silent.port")
mkdir -p "$TRASH/www" && start_http "$TRASH/www" || skip_all "cannot start python3 -m http.server"

expect_success 'timeout: a number of seconds from 1 to 3600' '
	cairn remote add silent "http://127.0.0.1:$SILENT/" >/dev/null &&
	must_fail --code=2 cairn remote modify silent timeout 0 2>err && grep_q "1 to 3600" err &&
	must_fail --code=2 cairn remote modify silent timeout soon 2>err &&
	cairn remote modify silent timeout 2 && cairn remote modify silent retries 0
'

expect_success 'a server that never answers: the transfer stalls after the timeout, one error' '
	rm f && cairn config cache.dir "$TRASH/empty-cache" &&
	start=$(date +%s) && must_fail --code=1 cairn pull -r silent 2>err && end=$(date +%s) &&
	test $((end - start)) -lt 30 &&
	grep_q "^cairn: error: .*the transfer stalled (nothing sent or received for the remote.s timeout)" err &&
	grep_q "^cairn: hint: .*remote.NAME.timeout" err && test $(grep -c "^cairn: error: " err) = 1 &&
	cairn config --unset cache.dir && cairn -q checkout f
'

expect_success 'https to a plain HTTP server: the hint says http://' '
	cairn remote add tls "https://127.0.0.1:$http_port/" >/dev/null &&
	must_fail --code=1 cairn status -c -r tls 2>err &&
	grep_q "^cairn: error: .*wrong version number" err &&
	grep_q "^cairn: hint: the server does not speak TLS: if it serves plain HTTP, write the endpoint with http://$" err
'

test_done
