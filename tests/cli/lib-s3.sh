# tests/cli/lib-s3.sh: helpers of the S3 and HTTP CLI tests (t31xx), sourced
# after lib.sh:
#
#   s3_setup                 require_s3, source tests/s3-aws.sh (s3_aws), make
#                            a fresh bucket $BUCKET for this script
#   s3_remote NAME URL [ENDPOINT]
#                            cairn remote add NAME URL with the test server's
#                            endpoint (or ENDPOINT) and keys (config.local)
#   s3_keys PREFIX           the object keys under s3://$BUCKET/PREFIX/, sorted
#   s3_check_objects PREFIX  download every object under PREFIX/sha256/ with
#                            awscli and check each hashes to its name
#   start_proxy NAME ARGS... run tests/s3-proxy.py ARGS in the background (at
#                            the top level, not in a check); its port goes to
#                            $NAME_port; stopped at exit or by stop_proxies
#   wait_for FILE [SECONDS]  wait (bounded, default 30 s) until FILE exists
#   start_http DIR           serve DIR over HTTP on 127.0.0.1; port in $http_port
#
# Buckets are left on the throw-away test server.

s3_setup() {
	require_s3
	. "$CAIRN_SRCDIR/tests/s3-aws.sh"
	BUCKET=$(printf 'cairn-%s-%s' "$test_name" "$$" | tr 'A-Z_' 'a-z-' | cut -c1-63)
	s3_aws s3 mb "s3://$BUCKET" >/dev/null || {
		echo "1..1"
		echo "not ok 1 - cannot create bucket $BUCKET at $CAIRN_TEST_S3_ENDPOINT"
		exit 1
	}
	export BUCKET
}

s3_remote() {
	cairn remote add "$1" "$2" >/dev/null &&
		cairn remote modify "$1" endpoint "${3:-$CAIRN_TEST_S3_ENDPOINT}" >/dev/null &&
		cairn remote modify "$1" access_key_id "$CAIRN_TEST_S3_ACCESS_KEY" >/dev/null 2>&1 &&
		cairn remote modify "$1" secret_access_key "$CAIRN_TEST_S3_SECRET_KEY" >/dev/null 2>&1
}

s3_keys() {
	s3_aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$1/" \
		--query 'Contents[].Key' --output text | tr '\t' '\n' | grep -v '^None$' | sort
}

s3_check_objects() {
	rm -rf "$TRASH/.s3dl" && mkdir "$TRASH/.s3dl" &&
		s3_aws s3 cp --recursive --quiet "s3://$BUCKET/$1/sha256/" "$TRASH/.s3dl/sha256/" &&
		objects_ok "$TRASH/.s3dl" &&
		rm -rf "$TRASH/.s3dl"
}

proxy_pids=
start_proxy() {
	name=$1
	shift
	rm -f "$TRASH/.$name.port"
	/usr/bin/python3 -I "$CAIRN_SRCDIR/tests/s3-proxy.py" "$TRASH/.$name.port" "$@" \
		>/dev/null 2>&1 </dev/null &
	proxy_pids="$proxy_pids $!"
	trap stop_proxies EXIT
	wait_for "$TRASH/.$name.port" 10 || return 1
	eval "${name}_port=\$(cat \"\$TRASH/.\$name.port\")"
}

wait_for() {
	wf_n=$((${2:-30} * 20))
	while [ ! -e "$1" ] && [ "$wf_n" -gt 0 ]; do
		sleep 0.05
		wf_n=$((wf_n - 1))
	done
	[ -e "$1" ] || { echo "wait_for: $1 did not appear" >&2; return 1; }
}

stop_proxies() {
	for p in $proxy_pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	proxy_pids=
}

# start_http DIR: serve DIR with python3 -m http.server on 127.0.0.1 (at the
# top level, not in a check); its port goes to $http_port
start_http() {
	rm -f "$TRASH/.http.out"
	/usr/bin/python3 -u -m http.server --bind 127.0.0.1 --directory "$1" 0 \
		>"$TRASH/.http.out" 2>/dev/null </dev/null &
	proxy_pids="$proxy_pids $!"
	trap stop_proxies EXIT
	wf_n=200
	while ! grep -q ' port [0-9]' "$TRASH/.http.out" 2>/dev/null && [ $wf_n -gt 0 ]; do
		sleep 0.05
		wf_n=$((wf_n - 1))
	done
	http_port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$TRASH/.http.out" | head -n 1)
	[ -n "$http_port" ]
}
