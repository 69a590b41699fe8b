#!/bin/sh
# t9403-hostile-manifest-ids: a manifest from a cloned repository may list
# any 64 hex digits as ids. 150,000 entries whose ids share their first 8
# bytes made every id set (push, fetch and status -c plans, gc roots) probe
# one run of slots: quadratic, about 25 s here where 0.5 s is normal, and
# far longer for the millions a 256 MiB manifest can hold. The slot now
# comes from all the bytes, mixed with a per-process key.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store
new_repo r && cd r && cairn remote add -d origin "$STORE" >/dev/null &&
	/usr/bin/python3 -I - "$STORE" <<'PY'
import hashlib, json, os, sys
n = 150000
ents = [{"name": "f%07d" % i, "sha256": "00" * 8 + hashlib.sha256(b"%d" % i).hexdigest()[16:],
         "size": 1, "type": "file"} for i in range(n)]
data = json.dumps({"entries": ents, "version": 1}, sort_keys=True, separators=(",", ":")).encode()
mid = hashlib.sha256(data).hexdigest()
os.makedirs(os.path.join(sys.argv[1], "sha256", mid[:2]))
with open(os.path.join(sys.argv[1], "sha256", mid[:2], mid[2:]), "wb") as f:
    f.write(data)
with open("d.cairn", "w") as f:
    f.write("outs:\n- path: d\n  hash: sha256\n  sha256: %s\n  size: %d\n  nfiles: %d\n"
            "  type: dir\n" % (mid, n, n))
PY
cd "$TRASH"

expect_success 'status -c over ids crafted to collide ends in seconds, listing them missing' '
	cd r && must_fail --code=1 timeout 10 cairn status -c >out &&
	grep_q "^missing: d (150000 objects in neither the cache nor .origin.)" out
'

expect_success 'pull ends in seconds too, and leaves the workspace alone' '
	cd r && must_fail --code=1 timeout 10 cairn pull 2>err && grep_q "not on remote" err &&
	path_is_missing d
'

test_done
