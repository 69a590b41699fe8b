#!/bin/sh
# t4004-docker: stages with an image. No Docker engine runs on the test
# machines, so this test puts a STAND-IN `docker` executable first on PATH: it
# records its arguments in $TRASH/docker.log, answers `docker image inspect`
# with the digest in $TRASH/digest (or fails for an image named missing*),
# and for `docker run` runs the /bin/sh -c script in the -w folder, as the
# container would with the work tree mounted at its own path. The test checks
# the command line cairn builds, the digest it records in cairn.lock, re-runs
# on a changed digest, images pinned by digest, and a missing docker client.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

mkdir -p "$TRASH/fakedocker"
cat >"$TRASH/fakedocker/docker" <<'EOT'
#!/bin/sh
# stand-in docker client for t4004 (not the real one)
for a in "$@"; do printf '%s\n' "$a"; done >>"$TRASH/docker.log"
echo --- >>"$TRASH/docker.log"
case "$1 $2" in
"image inspect")
	img=$5
	case $img in missing*) echo "Error: No such image: $img" >&2; exit 1 ;; esac
	case $4 in
	*RepoDigests*) echo "${img%%:*}@sha256:$(cat "$TRASH/digest")" ;;
	*) echo "sha256:$(cat "$TRASH/digest")" ;;
	esac ;;
"run "*)
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		-w) cd "$2" || exit 125; shift 2 ;;
		-v|-u) shift 2 ;;
		--rm) shift ;;
		/bin/sh) shift; exec /bin/sh "$@" ;;
		*) shift ;;
		esac
	done
	exit 125 ;;
*) exit 2 ;;
esac
EOT
chmod +x "$TRASH/fakedocker/docker"
D1=1111111111111111111111111111111111111111111111111111111111111111
D2=2222222222222222222222222222222222222222222222222222222222222222
echo $D1 >"$TRASH/digest"
export PATH="$TRASH/fakedocker:$PATH"

new_repo r && cd r
ROOT=$(pwd -P)

expect_success 'a stage with an image runs through docker run on the resolved digest' '
	mkdir sub && echo hi >sub/in &&
	cairn stage add -n s -w sub -d in -o out --image python:3.11-slim "cat in >out; echo ran >>log" &&
	grep_q "image: python:3.11-slim" cairn.yaml &&
	cairn repro >out.txt && grep_q "running stage .s." out.txt && grep_q hi sub/out &&
	grep_q "image: python@sha256:$D1" cairn.lock &&
	sed -n "/^run$/,/^---$/p" "$TRASH/docker.log" >run.args &&
	printf "run\n--rm\n-v\n%s:%s\n-w\n%s/sub\n-u\n%s:%s\npython@sha256:%s\n/bin/sh\n-c\ncat in >out; echo ran >>log\n---\n" \
		"$ROOT" "$ROOT" "$ROOT" "$(id -u)" "$(id -g)" "$D1" >want &&
	cmp_expected want run.args &&
	grep_q "^inspect$" "$TRASH/docker.log" && grep_q "{{index .RepoDigests 0}}" "$TRASH/docker.log"
'

expect_success 'the same digest: up to date; a new digest for the tag: the stage runs again' '
	cairn repro >out.txt && grep_q "stage .s. is up to date" out.txt &&
	echo $D2 >"$TRASH/digest" &&
	cairn status >st && grep_q "image changed: python@sha256:$D1 -> python@sha256:$D2" st &&
	cairn repro >out.txt && grep_q "running stage .s. (image changed" out.txt &&
	grep_q "image: python@sha256:$D2" cairn.lock && test $(wc -l <sub/log) = 2
'

expect_success 'an image given by digest runs exactly that digest, without inspect' '
	: >"$TRASH/docker.log" &&
	cairn stage add -f -n s -w sub -d in -o out --image "python@sha256:$D1" "cat in >out" >/dev/null &&
	cairn repro >/dev/null && grep_q "image: python@sha256:$D1" cairn.lock &&
	no_grep "^inspect$" "$TRASH/docker.log" && grep_q "^python@sha256:$D1$" "$TRASH/docker.log"
'

expect_success 'an image that cannot be inspected is a clear error; nothing runs' '
	cairn stage add -f -n s -w sub -d in -o out --image missing:1 "echo ran >>log; cat in >out" >/dev/null &&
	cp sub/log log.before && cp cairn.lock lock.before &&
	must_fail cairn repro 2>err &&
	grep_q "cannot resolve image .missing:1.: Error: No such image: missing:1" err &&
	grep_q "hint: pull it first" err &&
	cmp_expected log.before sub/log && cmp_expected lock.before cairn.lock
'

expect_success 'without a docker client the error says so; nothing runs' '
	cairn stage add -f -n s -w sub -d in -o out --image python:3.11 "echo ran >>log" >/dev/null &&
	mkdir -p "$TRASH/nodocker" && ln -sf "$CAIRN" "$TRASH/nodocker/cairn" &&
	must_fail env PATH="$TRASH/nodocker" cairn repro 2>err &&
	grep_q "cannot resolve image .python:3.11.: the .docker. client is not installed" err &&
	cmp_expected log.before sub/log
'

test_done
