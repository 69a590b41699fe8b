#!/bin/sh
# t9543-docker-daemon-hint: when the docker client cannot reach the engine
# (no daemon, or no right to its socket), a stage with an image fails with
# the client's words and a hint about the daemon, not "docker pull" (which
# would fail the same way). A missing image still hints "docker pull".
# A stand-in docker on PATH, as in t4004.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

mkdir -p "$TRASH/fakedocker"
cat >"$TRASH/fakedocker/docker" <<'EOT'
#!/bin/sh
# stand-in docker client for t9543: no engine, except for images named here*
case "$5" in
here*) echo "Error: No such image: $5" >&2 ;;
*) echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2 ;;
esac
exit 1
EOT
chmod +x "$TRASH/fakedocker/docker"
export PATH="$TRASH/fakedocker:$PATH"

new_repo r && cd r || exit 1

expect_success 'setup: a stage with an image' '
	cat >cairn.yaml <<-EOT
	stages:
	  hello:
	    cmd: echo hi >out.txt
	    outs: [out.txt]
	    image: alpine:3
	EOT
'

expect_success 'no daemon: the error quotes docker, the hint is about the daemon' '
	must_fail --code=1 cairn repro 2>err &&
	grep_q "^cairn: error: .*cannot resolve image .alpine:3.: Cannot connect to the Docker daemon" err &&
	grep_q "^cairn: hint: start the Docker daemon" err && ! grep -q "docker pull" err &&
	path_is_missing out.txt && path_is_missing cairn.lock
'

expect_success 'a missing image still hints docker pull' '
	sed -i "s/alpine:3/here:1/" cairn.yaml &&
	must_fail --code=1 cairn repro 2>err &&
	grep_q "^cairn: hint: pull it first: docker pull here:1" err
'

test_done
