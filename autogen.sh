#!/bin/sh
# autogen.sh: generate ./configure from a fresh clone.
set -e
cd "$(dirname "$0")"
autoreconf -fi
