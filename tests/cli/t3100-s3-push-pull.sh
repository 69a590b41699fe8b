#!/bin/sh
# t3100-s3-push-pull: round trips through the local S3 server under a URL
# prefix with a space, unicode, '+' and '%': push, status -c, pull into an
# empty cache; awscli (the oracle) finds every object at
# PREFIX/sha256/xx/<62 hex> with the bytes its name says, and cairn pulls an
# object awscli uploaded there. Names with glob and URL characters (C38)
# and zero-byte objects (C48) included; a second push sends nothing; gc
# --cloud keeps objects younger than gc.grace by their LastModified.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"
s3_setup

PREFIX='my data/ünï+100%'
new_repo r && cd r
s3_remote s3 "s3://$BUCKET/$PREFIX/"
cairn remote default s3 >/dev/null
mkdir -p 'd/sub dir'
for n in '0:0' 'a b.txt' '55MiB[1].test' '#Files' 'x=y' '100%' 'q?.bin' 'star*.dat' 'plus+sign' 'ünïcødé'; do
	printf '%s\n' "$n" >"d/sub dir/$n"
done
: >d/zero && : >empty.bin && head -c 3000000 /dev/urandom >big.bin
cairn -q add d empty.bin big.bin
cp -a d ../expected_d && cp big.bin ../expected_big

expect_success 'push sends every object to S3' '
	cairn push >out && grep_q "^pushed 14 objects" out &&
	cairn status -c >out && grep_q "^up to date with .s3.: 3 tracked outputs" out
'

expect_success 'awscli finds them under PREFIX/sha256/xx/<62 hex>, with the right bytes' '
	s3_keys "$PREFIX" >keys && test $(wc -l <keys) = 14 &&
	! grep -v -E "^my data/ünï\+100%/sha256/[0-9a-f]{2}/[0-9a-f]{62}$" keys &&
	grep_q "/sha256/$(sha256 big.bin | cut -c1-2)/$(sha256 big.bin | cut -c3-)$" keys &&
	s3_check_objects "$PREFIX"
'

expect_success 'the zero-byte object is on S3 with size 0 (C48)' '
	s3_aws s3api head-object --bucket "$BUCKET" \
		--key "$PREFIX/sha256/e3/b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
		--query ContentLength --output text >size && echo 0 >want && cmp_expected want size
'

expect_success 'a second push sends nothing' '
	cairn push >out && grep_q "^everything is on .s3. already (14 objects)" out
'

expect_success 'push --verify downloads and hash-checks every object from S3 (C42)' '
	cairn push --verify >out && grep_q "^verified 14 objects" out
'

expect_success 'push --verify replaces an object damaged on S3 (same size) with the cache copy' '
	id=$(sha256 big.bin) && key="$PREFIX/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" &&
	head -c 3000000 /dev/zero >zeros && s3_aws s3 cp --quiet zeros "s3://$BUCKET/$key" &&
	cairn push >out && grep_q "^everything is on .s3. already" out &&
	cairn push --verify >out && grep_q "^replaced 1 damaged object on .s3. with the cache.s copy$" out &&
	grep_q "^verified 14 objects" out &&
	s3_aws s3 cp --quiet "s3://$BUCKET/$key" back && cmp_expected big.bin back
'

expect_success 'pull into an empty cache restores every file byte for byte (C38, C48)' '
	rm -rf .cairn/cache d empty.bin big.bin &&
	cairn pull >out && grep_q "^fetched 1[34] objects" out &&
	diff -r ../expected_d d && cmp ../expected_big big.bin && test -f empty.bin && ! test -s empty.bin &&
	cairn status >out && grep_q "up to date" out
'

expect_success 'a clone pulls from S3 by the committed configuration' '
	git add -A && git commit -qm data && git clone -q . ../clone && cd ../clone &&
	cp ../r/.cairn/config.local .cairn/config.local &&
	cairn pull >out && grep_q "^fetched 1[34] objects" out && diff -r ../expected_d d
'

expect_success 'cairn pulls an object that awscli uploaded under the layout' '
	printf "from awscli\n" >new.txt && cairn -q add new.txt && id=$(ptr_sha new.txt.cairn) &&
	rm -f .cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-) &&
	s3_aws s3 cp --quiet new.txt "s3://$BUCKET/$PREFIX/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" &&
	rm new.txt && cairn pull new.txt >out && grep_q "^fetched 1 object" out &&
	echo "from awscli" >want && cmp_expected want new.txt
'

expect_success 'status -c: an object deleted on S3 behind our back is to push again' '
	id=$(sha256 big.bin) &&
	s3_aws s3 rm --quiet "s3://$BUCKET/$PREFIX/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" &&
	must_fail --code=1 cairn status -c >out && grep_q "^to push: big.bin (1 object" out &&
	cairn push >out && grep_q "^pushed 1 object" out && cairn status -c >/dev/null
'

expect_success 'fetch -r by name and a URL with no prefix' '
	s3_remote root "s3://$BUCKET" && cairn push -r root big.bin >out && grep_q "^pushed 1 object" out &&
	s3_aws s3api head-object --bucket "$BUCKET" \
		--key "sha256/$(sha256 big.bin | cut -c1-2)/$(sha256 big.bin | cut -c3-)" >/dev/null &&
	rm -rf .cairn/cache && cairn fetch -r root big.bin >out && grep_q "^fetched 1 object" out
'

expect_success 'gc --cloud on S3: a fresh object stays for gc.grace (LastModified), then goes' '
	echo garbage >g.txt && cairn -q add g.txt && cairn push g.txt >out && grep_q "^pushed 1 object" out &&
	id=$(sha256 g.txt) && cairn remove -q g.txt.cairn && rm -f g.txt &&
	CAIRN_GC_GRACE=1h cairn gc --cloud -w --force >out &&
	grep_q "^kept 1 unreferenced object on .s3. younger than gc.grace$" out &&
	s3_keys "$PREFIX" >keys && grep_q "$(echo $id | cut -c3-)" keys &&
	sleep 2 && CAIRN_GC_GRACE=0 cairn gc --cloud -w --force >out && grep_q "^removed $id from .s3.$" out &&
	s3_keys "$PREFIX" >keys && ! grep -q "$(echo $id | cut -c3-)" keys
'

test_done
