#!/bin/sh
# quickstart.sh: the README's first command on a fresh Debian 12 machine (as
# root, or through sudo): install every package cairn and its demo need, build
# cairn in _build/, install it (/usr/local), then run the end-to-end demo on
# real data (examples/demo.sh). Options:
#   --no-demo      stop after installing
#   --no-packages  do not call apt-get (the packages are already there)
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
# the reference S3 client, the pre-commit framework (t6030)
TEST_PKGS="mandoc awscli swift-proxy swift-account swift-container swift-object curl pre-commit"

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

if [ $demo = yes ]; then
	if [ -x examples/demo.sh ]; then
		echo "==> running the demo (examples/demo.sh)"
		examples/demo.sh
	else
		echo "==> no demo yet (examples/demo.sh)"
	fi
fi
