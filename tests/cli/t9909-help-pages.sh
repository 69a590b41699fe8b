#!/bin/sh
# t9909-help-pages: cairn help, the sources and the manual pages agree both
# ways: every command of cmd/ is listed by cairn help with a one-line summary,
# every command has man/cairn-CMD.1 and every man/cairn-*.1 page is a
# command; cairn(1) names every page in its SEE ALSO; every page is installed
# (dist_man_MANS); each --help, also of a subcommand such as `cairn exp
# run`, points at a page that exists ("See 'man cairn-exp run'" named none);
# and README's table of commands has one row per command.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
MAN=$CAIRN_SRCDIR/man

cairn help >help.out
sed -n 's/^  \([a-z][a-z-]*\)  *\([^ ].*\)$/\1/p' help.out | sort >listed
# the exported entries of cmd/*.c: .name of each "const struct cmd_entry cmd_X_entry"
for f in "$CAIRN_SRCDIR"/cmd/*.c; do
	awk '/^const struct cmd_entry cmd_[a-z_]*_entry = \{/ { e = 1; next }
	     e && /\.name = "/ { sub(/.*\.name = "/, ""); sub(/".*/, ""); print; e = 0 }' "$f"
done | sort >sources
ls "$MAN" | sed -n 's/^cairn-\([a-z-]*\)\.1$/\1/p' | sort >pages

expect_success 'cairn help lists every command of cmd/, each once' '
	test -s sources && cmp_expected sources listed &&
	test -z "$(uniq -d listed)"
'

expect_success 'every listed command has a one-line summary' '
	while read -r c; do
		grep -E "^  $c +[a-z].{9,}$" help.out >/dev/null || { echo "no summary: $c"; exit 1; }
	done <listed
'

expect_success 'every command has a manual page, and every command page is a command' '
	cmp_expected listed pages
'

expect_success 'cairn(1) names every page in its SEE ALSO' '
	sed -n "/^\.Sh SEE ALSO/,\$p" "$MAN/cairn.1" >see &&
	for p in "$MAN"/cairn-*.[157] "$MAN"/cairn.lock.5 "$MAN"/cairn.yaml.5; do
		n=$(basename "$p") sec=${n##*.} name=${n%.*}
		grep -q "^\.Xr $name $sec" see || { echo "$name($sec) is not in SEE ALSO"; exit 1; }
	done
'

expect_success 'make install installs every page of man/ (dist_man_MANS)' '
	sed -n "/^dist_man_MANS/,/^\$/p" "$CAIRN_SRCDIR/Makefile.am" | grep -o "man/[^ \\\\]*" | sort >installed &&
	(cd "$CAIRN_SRCDIR" && ls man/*.[1-8]) | sort >all && cmp_expected all installed
'

expect_success 'every --help, of commands and subcommands, names a page that exists' '
	while read -r c; do
		subs=$(cairn $c --help | sed -n "s/^ *\(usage: \)\{0,1\}cairn $c \([a-z][a-z|]*\) .*/\2/p; s/^ *\(usage: \)\{0,1\}cairn $c \([a-z][a-z|]*\)$/\2/p" | tr "|" " ")
		for s in "" $subs; do
			cairn $c $s --help >h 2>&1 || { echo "cairn $c $s --help failed"; cat h; exit 1; }
			page=$(sed -n "s/^See .man \([^ ]*\). for more\.$/\1/p" h)
			test "$page" = "cairn-$c" || { echo "cairn $c $s --help names '\''$page'\''"; exit 1; }
		done
	done <listed
'

expect_success 'the README table of commands has one row per command, and no other' '
	sed -n "/^## Commands\$/,/^## /p" "$CAIRN_SRCDIR/README.md" |
		sed -n "s/^| .cairn \([a-z][a-z-]*\).*/\1/p" | sort >readme &&
	cmp_expected listed readme
'

expect_success 'cairn help COMMAND works for every command' '
	while read -r c; do cairn help $c </dev/null >h && grep -q "^usage: cairn $c" h || exit 1; done <listed
'

test_done
