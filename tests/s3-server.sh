#!/bin/sh
# tests/s3-server.sh: a throw-away S3 endpoint on 127.0.0.1 for cairn's tests.
#
#   tests/s3-server.sh start DIR [BASEPORT]  start; wait (at most 60 s) until ready
#   tests/s3-server.sh status DIR            exit 0 if running and healthy
#   tests/s3-server.sh stop DIR              stop the recorded PIDs (waits, bounded)
#
# After start, `. DIR/env` exports CAIRN_TEST_S3_ENDPOINT (http://127.0.0.1:PORT),
# CAIRN_TEST_S3_ACCESS_KEY (test:tester), CAIRN_TEST_S3_SECRET_KEY (testing),
# CAIRN_TEST_S3_REGION (us-east-1) and CAIRN_TEST_S3_AWS_CONFIG (used by
# tests/s3-aws.sh). Path-style addressing only.
#
# The server is OpenStack Swift 2.30 with its s3api middleware (Debian 12
# packages swift-proxy swift-account swift-container swift-object), as four
# single-process servers: the proxy (the S3 endpoint) on BASEPORT, the account,
# container and object servers on BASEPORT+1..3. BASEPORT+4 is a port nobody
# listens on, for the memcache client (s3api needs the cache filter) and syslog.
# Without BASEPORT a free one is picked in 18000-19899. Everything lives in DIR:
# etc/ (configs, rings), srv/d1/ (the data; kept across stop/start on the same
# DIR), run/ (PIDs, port), log/ (server output), env, aws.conf.
#
# Swift 2.30 reads swift.conf only from /etc/swift/swift.conf (swift_dir does not
# apply to it), so each server runs through DIR/etc/launch.py, which points Swift
# at DIR/etc/swift.conf first: nothing outside DIR is written. The launcher also
# turns off SO_REUSEPORT, with which a second server would silently share a busy
# port. It uses Debian's /usr/bin/python3 (another python3 may lack Swift).
# Servers are found and stopped by their recorded PIDs only, never by name.
set -eu

SERVERS="proxy account container object"
WAIT=60
py() { /usr/bin/python3 -I "$@"; }
die() { echo "s3-server: $*" >&2; exit 1; }
usage() { echo "usage: $0 start DIR [BASEPORT] | status DIR | stop DIR" >&2; exit 2; }

setdir() {    # DIR as an absolute path with no characters that need quoting
    DIR=$(cd "$1" && pwd -P) || die "no directory $1"
    case $DIR in *[!A-Za-z0-9_./-]*) die "DIR may only use A-Z a-z 0-9 _ . / -: $DIR";; esac
}

ours() {      # NAME: is DIR/run/NAME.pid a live process running this DIR's NAME server?
    pid=$(cat "$DIR/run/$1.pid" 2>/dev/null) || return 1
    case $pid in ''|*[!0-9]*) return 1;; esac
    cmd=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
    case $cmd in *" $DIR/etc/$1-server.conf "*) return 0;; esac
    return 1  # gone, a zombie (empty cmdline) or a reused PID
}

live_pids() { for n in $SERVERS; do ours "$n" && cat "$DIR/run/$n.pid"; done; return 0; }

ready() {     # SECONDS: wait until the proxy's /healthcheck is 200 and each back end answers
    py - "$DIR" "$1" "$(cat "$DIR/run/port")" <<'EOF'
import http.client, sys, time
d, limit, base = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
names = ['proxy', 'account', 'container', 'object']
def alive(n):
    try:
        pid = open('%s/run/%s.pid' % (d, n)).read().strip()
        cmd = open('/proc/%s/cmdline' % pid, 'rb').read().split(b'\0')
    except (OSError, ValueError):
        return False
    return ('%s/etc/%s-server.conf' % (d, n)).encode() in cmd
def status(port):
    try:
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=2)
        c.request('GET', '/healthcheck')
        return c.getresponse().status
    except Exception:
        return None
deadline = time.monotonic() + limit
while True:
    dead = [n for n in names if not alive(n)]
    if dead:
        sys.exit('s3-server: not running: ' + ' '.join(dead))
    codes = [status(base + i) for i in range(4)]
    if codes[0] == 200 and None not in codes:
        sys.exit(0)
    if time.monotonic() >= deadline:
        sys.exit('s3-server: not ready after %g s; /healthcheck status of %s: %s'
                 % (limit, ' '.join(names), codes))
    time.sleep(0.2)
EOF
}

pick_port() { # [BASEPORT]: print BASEPORT, or a free one, if BASEPORT..+4 can be bound
    py - "$@" <<'EOF'
import random, socket, sys
def free(base):
    for p in range(base, base + 5):
        s = socket.socket()
        # Bind as Swift does (SO_REUSEADDR, so TIME_WAIT leftovers do not count)
        # but without SO_REUSEPORT, so that any listener makes the bind fail.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(('127.0.0.1', p))
        except OSError:
            return False
        finally:
            s.close()
    return True
if len(sys.argv) > 1:
    base = int(sys.argv[1]) if sys.argv[1].isdigit() else 0
    if not 1024 <= base <= 65530:
        sys.exit('s3-server: BASEPORT must be a number in 1024-65530')
    if not free(base):
        sys.exit('s3-server: a port in %d-%d is in use' % (base, base + 4))
    print(base)
    sys.exit(0)
bases = list(range(18000, 19900, 10))
first = random.randrange(len(bases))
for base in bases[first:] + bases[:first]:
    if free(base):
        print(base)
        sys.exit(0)
sys.exit('s3-server: no free ports in 18000-19899')
EOF
}

conf_default() { # NAME PORT: the [DEFAULT] section every server shares
    cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
bind_timeout = 10
workers = 0
user = $(id -un)
swift_dir = $DIR/etc
devices = $DIR/srv
mount_check = false
disable_fallocate = true
recon_cache_path = $DIR/run
log_name = $1-server
log_udp_host = 127.0.0.1
log_udp_port = $DEAD

EOF
}

write_etc() {
    e=$DIR/etc
    printf '[swift-hash]\nswift_hash_path_prefix = cairn-test\nswift_hash_path_suffix = cairn-test\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' >"$e/swift.conf"
    i=1
    for n in account container object; do
        { conf_default "$n" $((BASE + i))
          printf '[pipeline:main]\npipeline = %s-server\n\n[app:%s-server]\nuse = egg:swift#%s\n' "$n" "$n" "$n"
        } >"$e/$n-server.conf"
        i=$((i + 1))
    done
    { conf_default proxy "$BASE"
      cat <<EOF
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
# S3 allows 10000 parts (s3api: 1000); an upload becomes an SLO, hence slo too.
max_upload_part_num = 10000

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

# No memcached runs: the client only fails fast against the dead port, quietly.
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$DEAD
set log_level = CRITICAL

EOF
      for f in catch_errors gatekeeper healthcheck proxy-logging listing_formats copy dlo versioned_writes; do
          printf '[filter:%s]\nuse = egg:swift#%s\n\n' "$f" "$(echo $f | tr - _)"
      done
    } >"$e/proxy-server.conf"
    cat >"$e/launch.py" <<'EOF'
# launch.py NAME CONF: run Swift's NAME-server with the swift.conf next to CONF.
import os, sys
name, conf = sys.argv[1], sys.argv[2]
from swift.common import utils
utils.set_swift_dir(os.path.dirname(conf))  # hash prefix/suffix from our swift.conf
from swift.common import constraints, storage_policy
storage_policy.reload_storage_policies()
constraints.reload_constraints()
from swift.common import wsgi
_listen = wsgi.listen
wsgi.listen = lambda *a, **k: _listen(*a, reuse_port=False, **k)
sys.exit(wsgi.run_wsgi(conf, name + '-server', verbose=True))
EOF
    # The three rings in one Python process (the CLI would take 9 runs).
    py - "$e" "$BASE" <<'EOF'
import sys
from swift.common.ring import RingBuilder
etc, base = sys.argv[1], int(sys.argv[2])
for i, name in enumerate(['account', 'container', 'object'], 1):
    rb = RingBuilder(6, 1, 1)  # 64 partitions, 1 replica
    rb.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1',
                'port': base + i, 'device': 'd1', 'weight': 1})
    rb.rebalance()
    rb.save('%s/%s.builder' % (etc, name))
    rb.get_ring().save('%s/%s.ring.gz' % (etc, name))
EOF
    printf '[default]\ns3 =\n    addressing_style = path\n' >"$DIR/aws.conf"
}

gone_within() { # SECONDS: wait until none of the recorded servers is alive
    i=0
    while [ -n "$(live_pids)" ]; do
        [ $i -lt $(($1 * 5)) ] || return 1
        sleep 0.2
        i=$((i + 1))
    done
}

stop_servers() { # SIGTERM, then SIGKILL after 15 s; fails if any survives 5 s more
    pids=$(live_pids)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # $pids is a list of numbers
    kill -TERM $pids 2>/dev/null || true
    gone_within 15 && return 0
    # shellcheck disable=SC2046
    kill -KILL $(live_pids) 2>/dev/null || true
    gone_within 5
}

start() {
    { [ $# -ge 1 ] && [ $# -le 2 ]; } || usage
    mkdir -p "$1"
    setdir "$1"
    [ -z "$(live_pids)" ] || die "a server is already running in $DIR (first: $0 stop $DIR)"
    BASE=$(pick_port ${2:+"$2"}) || exit 1
    DEAD=$((BASE + 4))
    rm -rf "${DIR:?}/etc" "$DIR/run" "$DIR/log" "$DIR/env"
    mkdir -p "$DIR/etc" "$DIR/srv/d1" "$DIR/run" "$DIR/log"
    write_etc
    echo "$BASE" >"$DIR/run/port"
    trap 'stop_servers; exit 1' INT TERM HUP
    for n in $SERVERS; do
        # Not through py(): a backgrounded function is a subshell, and $! would be its PID.
        /usr/bin/python3 -I "$DIR/etc/launch.py" "$n" "$DIR/etc/$n-server.conf" \
            </dev/null >"$DIR/log/$n.log" 2>&1 &
        echo $! >"$DIR/run/$n.pid"
    done
    if ! ready "$WAIT"; then
        for n in $SERVERS; do echo "==== $DIR/log/$n.log (last 100 lines)"; tail -n 100 "$DIR/log/$n.log"; done >&2
        stop_servers || true
        die "start failed"
    fi
    trap - INT TERM HUP
    cat >"$DIR/env" <<EOF
export CAIRN_TEST_S3_ENDPOINT=http://127.0.0.1:$BASE
export CAIRN_TEST_S3_ACCESS_KEY=test:tester
export CAIRN_TEST_S3_SECRET_KEY=testing
export CAIRN_TEST_S3_REGION=us-east-1
export CAIRN_TEST_S3_AWS_CONFIG=$DIR/aws.conf
EOF
    echo "s3-server: ready at http://127.0.0.1:$BASE (. $DIR/env)"
}

stop() {
    [ $# -eq 1 ] || usage
    [ -d "$1" ] || { echo "s3-server: no directory $1, nothing to stop"; return 0; }
    setdir "$1"
    [ -n "$(live_pids)" ] || { echo "s3-server: not running in $DIR"; return 0; }
    stop_servers || die "still running after SIGKILL: $(live_pids | tr '\n' ' ')"
    rm -f "$DIR"/run/*.pid "$DIR/env"
    echo "s3-server: stopped ($DIR)"
}

status() {
    [ $# -eq 1 ] || usage
    [ -d "$1" ] || die "no directory $1"
    setdir "$1"
    [ -f "$DIR/run/port" ] || die "not running in $DIR"
    ready 0 || exit 1
    echo "s3-server: running at http://127.0.0.1:$(cat "$DIR/run/port") ($DIR)"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
    start|stop|status) "$cmd" "$@" ;;
    *) usage ;;
esac
