#!/usr/bin/env bash
# Deterministic benchmark data. Usage: gen-data.sh SHAPE DIR
#   big    : one 1 GiB file (random bytes)
#   many   : 20000 files x 4 KiB in 100 folders (d0..d99/fNNNNN)
#   medium : 500 files x 2 MiB in 10 folders (d0..d9/mNNN)
# Same SHAPE -> same bytes on every machine (AES-CTR keystream of a fixed key).
# A copy of ../shared/bench/gen-data.sh; the one addition is CAIRN_BENCH_SCALE=N
# (default 1), which divides the big file's size and the file counts by N for
# quick trial runs (bench/run --quick). At scale 1 the bytes are identical.
set -eu
shape=$1; dir=$2
scale=${CAIRN_BENCH_SCALE:-1}
mkdir -p "$dir"
stream() { # $1 = seed label, $2 = bytes
  openssl enc -aes-128-ctr -nosalt -K "$(printf '%s' "$1" | sha256sum | cut -c1-32)" \
    -iv 00000000000000000000000000000000 -in /dev/zero 2>/dev/null | head -c "$2"
}
split_into() { # $1 count, $2 size, $3 folders, $4 prefix, $5 digits
  python3 -c '
import sys, os
n, size, folders, prefix, digits, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
src = sys.stdin.buffer
for d in range(folders): os.makedirs(f"{out}/d{d}", exist_ok=True)
for i in range(n):
    with open(f"{out}/d{i % folders}/{prefix}{i:0{digits}d}", "wb") as f: f.write(src.read(size))
' "$1" "$2" "$3" "$4" "$5" "$dir"
}
case $shape in
  big)    stream big $((1073741824 / scale)) > "$dir/blob.bin" ;;
  many)   stream many $((20000 / scale * 4096)) | split_into $((20000 / scale)) 4096 100 f 5 ;;
  medium) stream medium $((500 / scale * 2097152)) | split_into $((500 / scale)) 2097152 10 m 3 ;;
  *) echo "unknown shape $shape" >&2; exit 2 ;;
esac
