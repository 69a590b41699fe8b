#!/bin/sh
# t0003-completion: the bash completion completes commands, options and
# folders from what the binary says about itself.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
COMPLETION=$CAIRN_SRCDIR/contrib/completion/cairn.bash

complete_words() { # WORDS...: print the completions of the last word, one per line
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cairn;
		printf "%s\n" "${COMPREPLY[@]}"' complete "$COMPLETION" "$@"
}

expect_success 'completes command names' '
	complete_words cairn ad >out && grep_q "^add$" out &&
	complete_words cairn "" >all && grep_q "^status$" all && grep_q "^checkout$" all
'

expect_success 'completes the options of a command' '
	complete_words cairn add --j >out && grep_q "^--jobs$" out &&
	complete_words cairn checkout --f >out && grep_q "^--force$" out
'

expect_success 'completes global options and -C folders' '
	complete_words cairn --v >out && grep_q "^--version$" out &&
	mkdir somedir && complete_words cairn -C som >out && grep_q "^somedir$" out
'

expect_success 'completes command names after help' '
	complete_words cairn help che >out && grep_q "^checkout$" out
'

expect_success 'completes file names as arguments' '
	: >datafile.csv && complete_words cairn add data >out && grep_q "^datafile.csv$" out
'

test_done
