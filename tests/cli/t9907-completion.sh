#!/bin/sh
# t9907-completion: the bash completion (contrib/completion/cairn.bash),
# loaded in bash with COMP_WORDS/COMP_CWORD set and the completion function
# called: subcommands, each command's and subcommand's options, what an
# option takes (remote names from `cairn remote list`, folders, revisions),
# stage names from cairn.yaml for repro, experiment names, hook names, -C,
# `--opt=value`, `git cairn ...` through git's own completion, and make
# install putting it where bash-completion loads it (as cairn and git-cairn).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
COMPLETION=$CAIRN_SRCDIR/contrib/completion/cairn.bash

# complete WORDS...: the completions of the last word, sorted, one per line
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cairn
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"' complete "$COMPLETION" "$@" | sort
}
# expect WANT... -- WORDS...: the completions are exactly WANT
expect() {
	: >want
	while [ "$1" != -- ]; do echo "$1" >>want; shift; done
	shift
	sort want -o want && complete_words "$@" >got && cmp_expected want got
}

new_repo r && cd r
cat >cairn.yaml <<'EOT'
stages:
  prepare:
    cmd: cp in.txt prepared.txt
    deps: [in.txt]
    outs: [prepared.txt]
  train:
    cmd: cp prepared.txt model.txt && echo '{"acc":1}' >m.json
    deps: [prepared.txt]
    outs: [model.txt]
    metrics: [m.json]
  evaluate:
    cmd: cat model.txt >/dev/null
    deps: [model.txt]
EOT
printf 'p: 1\n' >params.yaml && echo in >in.txt
cairn remote add -d storage ../store >/dev/null && cairn remote add backup s3://bucket/x >/dev/null
git add -A && git commit -qm one && git tag v1.0 && git branch topic || exit 1

expect_success 'subcommands of remote, exp, stage, metrics and params' '
	expect add default list modify remove -- cairn remote "" &&
	expect apply branch pull push remove run show -- cairn exp "" &&
	expect add list -- cairn stage "" &&
	expect diff show -- cairn metrics "" &&
	expect diff -- cairn params ""
'

expect_success 'options of a command and of a subcommand' '
	expect --jobs --json -- cairn status --j &&
	expect --all-branches --all-commits --all-tags -- cairn push --all &&
	expect --set-param -- cairn exp run --set &&
	expect -S -- cairn exp run -S &&
	expect --all-baselines -- cairn exp show --all &&
	expect --default -- cairn remote add --def
'

expect_success 'remote names after -r/--remote and for remote remove|modify|default' '
	expect backup storage -- cairn push -r "" &&
	expect storage -- cairn fetch --remote st &&
	expect backup storage -- cairn pull -j 4 -r "" &&
	expect backup -- cairn remote remove b &&
	expect backup storage -- cairn remote modify "" &&
	expect -- cairn remote modify storage "" &&
	expect storage -- cairn gc -c -r s
'

expect_success 'stage names for repro, from cairn.yaml' '
	expect evaluate prepare train -- cairn repro "" &&
	expect train -- cairn repro -f t &&
	expect evaluate prepare -- cairn repro -j 2 train ""
'

expect_success 'revisions after --rev, also as --rev=REV, and for reproduce' '
	expect v1.0 -- cairn push --rev v &&
	expect v1.0 -- cairn fetch --rev = v &&
	expect HEAD main topic v1.0 -- cairn reproduce "" &&
	expect topic -- cairn metrics diff t
'

expect_success 'experiment names for exp apply, branch and remove' '
	cairn exp run -q -n depth -S p=2,3 &&
	expect depth-1 depth-2 -- cairn exp apply "" &&
	expect depth-2 -- cairn exp remove depth-1 depth-2
'

expect_success 'folders after -C and -w; -C is used for what follows' '
	mkdir -p sub/deeper &&
	expect sub -- cairn -C s &&
	expect sub -- cairn stage add -w s &&
	(cd sub && expect evaluate prepare train -- cairn -C .. repro "")
'

expect_success 'hook names, and commands after help' '
	expect post-checkout post-merge post-rewrite -- cairn hook post- &&
	expect remote remove repro reproduce -- cairn help re
'

expect_success 'an option taking a value offers nothing to guess' '
	expect -- cairn exp run -n "" && expect -- cairn add -j ""
'

expect_success 'file names as arguments, names with a space kept whole' '
	mkdir "a dir" && : >"a dir/x y.csv" && : >alone.csv &&
	expect "a dir" alone.csv -- cairn add a
'

GITCOMP=/usr/share/bash-completion/completions/git
if [ -f "$GITCOMP" ]; then
	expect_success 'git cairn ... completes through git'"'"'s completion' '
		bash -c ". \"$GITCOMP\"; . \"$COMPLETION\"
			COMP_WORDS=(git cairn rep); COMP_CWORD=2; COMP_LINE=\"git cairn rep\"; COMP_POINT=\${#COMP_LINE}
			__git_wrap__git_main; printf \"%s\n\" \"\${COMPREPLY[@]}\"" | sort >got &&
		printf "repro\nreproduce\n" >want && cmp_expected want got &&
		bash -c ". \"$GITCOMP\"; . \"$COMPLETION\"
			COMP_WORDS=(git cairn push -r \"\"); COMP_CWORD=4; COMP_LINE=\"git cairn push -r \"; COMP_POINT=\${#COMP_LINE}
			__git_wrap__git_main; printf \"%s\n\" \"\${COMPREPLY[@]}\"" | sort >got &&
		printf "backup\nstorage\n" >want && cmp_expected want got
	'
else
	skip_test 'git cairn ... completes through git'"'"'s completion' "git's bash completion is not installed"
fi

[ -f "$CAIRN_BUILDDIR/Makefile" ] && command -v make >/dev/null || skip_all_rest=yes
if [ -z "${skip_all_rest:-}" ]; then
	inst=$TRASH/inst
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$CAIRN_BUILDDIR" install \
		DESTDIR="$inst" prefix=/usr/local >"$TRASH/install.log" 2>&1
	install_rc=$?
	expect_success 'make install puts it in the completions folder as cairn and git-cairn' '
		test $install_rc = 0 || { cat "$TRASH/install.log"; exit 1; }
		dir=$(find "$inst" -type d -path "*bash-completion/completions" | head -n 1) &&
		test -n "$dir" && cmp_expected "$COMPLETION" "$dir/cairn" &&
		test "$(readlink "$dir/git-cairn")" = cairn
	'
	BC=/usr/share/bash-completion/bash_completion
	if [ -f "$BC" ]; then
		expect_success 'bash-completion loads it from there on the first TAB' '
			dir=$(find "$inst" -type d -path "*bash-completion/completions" | head -n 1) &&
			XDG_DATA_DIRS="${dir%/bash-completion/completions}" bash -c ". \"$BC\"
				_completion_loader cairn; complete -p cairn" >got 2>&1 &&
			grep_q "complete .*-F _cairn cairn" got
		'
	else
		skip_test 'bash-completion loads it from there on the first TAB' 'bash-completion is not installed'
	fi
fi

test_done
