#!/bin/sh
# quickstart.sh: the README's first command on a fresh Debian 12 machine (as
# root, or through sudo): install every package cairn, its demo and its tests
# need, build cairn in _build/, install it (/usr/local), then run the
# end-to-end demo on real data (examples/demo.sh) with the installed cairn.
# When the local S3 server's packages are installed (and CAIRN_TEST_S3_* do
# not already name a server), a throw-away server (tests/s3-server.sh) runs
# for the demo, which then pushes to S3 too; it is stopped afterwards.
# Options:
#   --no-demo      stop after installing
#   --no-packages  do not call apt-get (the packages are already there)
# CAIRN_TEST_REQUIRE_S3=1 (CI) makes a server that does not start an error.
set -eu
cd "$(dirname "$0")"

demo=yes packages=yes
for a in "$@"; do
	case $a in
	--no-demo) demo=no ;;
	--no-packages) packages=no ;;
	*) echo "usage: $0 [--no-demo] [--no-packages]" >&2; exit 2 ;;
	esac
done

# build: the toolchain and the libraries cairn links against
BUILD_PKGS="gcc make autoconf automake autoconf-archive pkg-config git ca-certificates
 libgit2-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libyaml-dev libjansson-dev
 libsqlite3-dev libinih-dev libxml2-dev"
# demo: real datasets and scikit-learn for the example pipeline
DEMO_PKGS="python3 python3-sklearn python3-yaml"
# tests: man page lint, the local S3 server (OpenStack Swift + s3api), awscli as
# the reference S3 client, the pre-commit framework (t6030), bash-completion
# (where make install puts the completion; t9907 loads it)
TEST_PKGS="mandoc awscli swift-proxy swift-account swift-container swift-object curl pre-commit
 bash-completion"

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ $packages = yes ]; then
	echo "==> installing packages (apt-get)"
	sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086
	sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		$BUILD_PKGS $DEMO_PKGS $TEST_PKGS
fi

echo "==> building cairn in _build/"
./autogen.sh >/dev/null 2>&1 || ./autogen.sh
mkdir -p _build
(cd _build && { [ -f Makefile ] || ../configure -q; } && make -s -j"$(nproc)")
echo "==> installing cairn"
sudo_ make -s -C _build install
command -v cairn >/dev/null && cairn version

[ $demo = yes ] || exit 0

# a throw-away S3 server for the demo, stopped on the way out
s3dir=
stop_s3() {
	if [ -n "$s3dir" ]; then
		sh tests/s3-server.sh stop "$s3dir" >/dev/null 2>&1 || true
		rm -rf "$s3dir"
		s3dir=
	fi
}
trap stop_s3 EXIT
trap 'exit 130' INT TERM
if [ -z "${CAIRN_TEST_S3_ENDPOINT:-}" ] && command -v swift-proxy-server >/dev/null 2>&1; then
	echo "==> starting a local S3 server for the demo (tests/s3-server.sh)"
	s3dir=$(mktemp -d /tmp/cairn-demo-s3.XXXXXX)
	if sh tests/s3-server.sh start "$s3dir"; then
		. "$s3dir/env"
		export CAIRN_TEST_S3_ENDPOINT CAIRN_TEST_S3_ACCESS_KEY CAIRN_TEST_S3_SECRET_KEY \
			CAIRN_TEST_S3_REGION CAIRN_TEST_S3_AWS_CONFIG
	elif [ -n "${CAIRN_TEST_REQUIRE_S3:-}" ]; then
		echo "quickstart: the S3 server did not start (CAIRN_TEST_REQUIRE_S3)" >&2
		exit 1
	else
		echo "quickstart: the S3 server did not start; the demo skips S3" >&2
		stop_s3
	fi
fi

echo "==> running the demo (examples/demo.sh)"
sh examples/demo.sh
