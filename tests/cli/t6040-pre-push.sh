#!/bin/sh
# t6040-pre-push: the pre-push hook through real git pushes to a bare
# repository: the data of the new commits goes to the default remote first,
# what to send is asked of the remote (scenario C26: a stale remote-tracking
# ref changes nothing), several refs and tags in one push, a push from a
# linked worktree (C12), and the push is stopped with a clear message when
# the data cannot be sent (missing everywhere, no remote, a broken remote).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

git init -q --bare git.git
REMOTE="$TRASH/store"
mkdir "$REMOTE"

rcount() { find "$REMOTE" -type f -path "*/sha256/*" | wc -l | tr -d " "; }
rhas() { test -f "$REMOTE/sha256/$(echo $1 | cut -c1-2)/$(echo $1 | cut -c3-)"; }
id() { echo "$1" | sha256sum | cut -c1-64; }

new_repo r && cd r && cairn remote add -d origin "$REMOTE" && git remote add origin ../git.git &&
cairn install -q && git add -A && git commit -qm init

expect_success 'pushing a branch sends the data of its commits first' '
	git checkout -qb b1 && echo x >f && cairn add -q f && git add -A && git commit -qm f &&
	mkdir d && echo 1 >d/one && echo 2 >d/two && cairn add -q d && git add -A && git commit -qm d &&
	git push -q origin b1 2>"$TRASH/err" && grep_q "^cairn: pushed 4 objects" "$TRASH/err" &&
	rhas $(id x) && rhas $(id 1) && rhas $(id 2) && rhas $(ptr_sha d.cairn) &&
	git --git-dir=../git.git rev-parse -q --verify refs/heads/b1 >/dev/null
'

expect_success 'nothing new: nothing sent, the push goes through' '
	echo note >note.txt && git add note.txt && git commit -qm note &&
	git push -q origin b1 2>"$TRASH/err" && no_grep pushed "$TRASH/err" && test $(rcount) = 4
'

expect_success 'C26: what to send is asked of the remote, not of remote-tracking refs' '
	rm -rf "$REMOTE"/* &&
	git push -q origin --delete b1 && git update-ref refs/remotes/origin/b1 HEAD &&
	git checkout -qb b2 && git push -q origin b2 2>"$TRASH/err" &&
	rhas $(id x) && rhas $(id 1) && test $(rcount) = 4 &&
	cairn status -c >"$TRASH/st" && grep_q "^up to date with .origin." "$TRASH/st"
'

expect_success 'several refs and an annotated tag in one push' '
	git checkout -qb b3 && echo y >g && cairn add -q g && git add -A && git commit -qm g &&
	git checkout -q b2 && git checkout -qb b4 && echo z >h && cairn add -q h && git add -A &&
	git commit -qm h && git tag -a -m t t1 &&
	git push -q origin b3 b4 t1 2>"$TRASH/err" && rhas $(id y) && rhas $(id z) &&
	grep_q "^cairn: pushed 2 objects" "$TRASH/err"
'

expect_success 'only the new commits are read: history on the server is not sent again' '
	git checkout -q b4 && echo w >w && cairn add -q w && git add -A && git commit -qm w &&
	git push -q origin b4 &&
	oldz=$(id z) && rm "$REMOTE/sha256/$(echo $oldz | cut -c1-2)/$(echo $oldz | cut -c3-)" &&
	chmod u+w .cairn/cache/sha256/$(echo $oldz | cut -c1-2) &&
	rm .cairn/cache/sha256/$(echo $oldz | cut -c1-2)/$(echo $oldz | cut -c3-) &&
	git rm -q h.cairn && git commit -qm "rm h" && git push -q origin b4 2>"$TRASH/err" &&
	no_grep "error" "$TRASH/err"
'

expect_success 'data in neither the cache nor the remote stops the push' '
	git checkout -qb b5 && echo lost >l && cairn add -q l && git add -A && git commit -qm l &&
	lid=$(id lost) && chmod u+w .cairn/cache/sha256/$(echo $lid | cut -c1-2) &&
	rm .cairn/cache/sha256/$(echo $lid | cut -c1-2)/$(echo $lid | cut -c3-) &&
	must_fail git push -q origin b5 2>"$TRASH/err" &&
	grep_q "^cairn: error: the push is stopped: its data could not be sent to .origin.: not in the cache: .l.$" "$TRASH/err" &&
	grep_q "^cairn: warning: .h. of an older pushed commit is in neither the cache nor .origin." "$TRASH/err" &&
	grep_q "^cairn: hint: .*--no-verify" "$TRASH/err" &&
	! git --git-dir=../git.git rev-parse -q --verify refs/heads/b5 &&
	git push -q --no-verify origin b5 && git --git-dir=../git.git rev-parse -q --verify refs/heads/b5
'

expect_success 'no default remote: the push is stopped with the way out' '
	git checkout -q b4 && git checkout -qb b6 && echo v >v && cairn add -q v && git add -A &&
	git commit -qm v && git config -f .cairn/config --unset core.remote &&
	must_fail git push -q origin b6 2>"$TRASH/err" && grep_q "no default remote" "$TRASH/err" &&
	grep_q "cairn remote add -d" "$TRASH/err" &&
	git config -f .cairn/config core.remote origin
'

expect_success 'a broken remote stops the push' '
	mv "$REMOTE" "$REMOTE.away" && echo not-a-folder >"$REMOTE" &&
	must_fail git push -q origin b6 2>"$TRASH/err" && grep_q "^cairn: error: the push is stopped" "$TRASH/err" &&
	rm "$REMOTE" && mv "$REMOTE.away" "$REMOTE" && git push -q origin b6 && rhas $(id v)
'

expect_success 'deleting a branch sends nothing' '
	git push -q origin --delete b6 2>"$TRASH/err" && test ! -s "$TRASH/err"
'

expect_success 'C12: a push from a linked worktree uploads its data' '
	git worktree add -q ../wt -b wt b4 && cd ../wt &&
	echo fromwt >k && cairn add -q k && git add -A && git commit -qm k &&
	git push -q origin wt 2>"$TRASH/err" && rhas $(id fromwt)
'

expect_success 'malformed input and unknown commits' '
	printf "refs/heads/x nothex refs/heads/x 0000\n" >"$TRASH/in" &&
	must_fail --code=2 cairn hook pre-push origin url <"$TRASH/in" 2>"$TRASH/err" && grep_q "malformed pre-push input" "$TRASH/err" &&
	printf "\n" | cairn hook pre-push origin url
'

expect_success 'a repository without cairn: the hook does nothing' '
	git init -q ../plain && cd ../plain && cairn install -q && git commit -q --allow-empty -m e &&
	git remote add origin ../git.git && git push -q origin HEAD:refs/heads/plain 2>"$TRASH/err" && test ! -s "$TRASH/err"
'

test_done
