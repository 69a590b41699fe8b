# bash completion for cairn, installed by make install as
# <completionsdir>/cairn and <completionsdir>/git-cairn (bash-completion loads
# the second for `git cairn ...`). Everything comes from the binary itself, so
# it never goes stale: commands from `cairn help`, subcommands from the usage
# lines of `cairn CMD --help`, options and whether they take an argument from
# `cairn CMD [SUB] --help`, remote names from `cairn remote list`, stage names
# from `cairn stage list`, experiment names from `cairn exp show`; revisions
# come from git.

# _cairn_run ARGS...: the cairn being completed (with its -C options), quiet
_cairn_run() {
	command "${_cairn_bin:-cairn}" "${_cairn_C[@]}" "$@" 2>/dev/null
}

_cairn_commands() {
	_cairn_run help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'
}

# _cairn_subcommands CMD: the words of "cairn CMD WORD" usage lines
_cairn_subcommands() {
	_cairn_run "$1" --help |
		sed -n "s/^ *\(usage: \)\{0,1\}cairn $1 \([a-z][a-z|]*\)\( .*\)\{0,1\}$/\2/p" |
		tr '|' '\n' | sort -u
}

# _cairn_option_lines CMD [SUB]: "  -x, --long ARG  help" lines of --help
_cairn_option_lines() {
	_cairn_run "$@" --help | grep -E -- '^ +-'
}

_cairn_options() { # CMD [SUB]: every -x and --long (the words before the help text)
	_cairn_option_lines "$@" | awk '{ arg = 0
		for (i = 1; i <= NF; i++) { w = $i; sub(/,$/, "", w)
			if (w ~ /^-/) { print w; arg = 1 } else if (arg) arg = 0; else break } }' | sort -u
}

# _cairn_optarg OPT CMD [SUB]: the argument name of OPT (NAME, N, REV, ...), or nothing
_cairn_optarg() {
	local opt=$1
	shift
	_cairn_option_lines "$@" | sed 's/^ *//; s/  .*//' |
		awk -v o="$opt" '{ for (i = 1; i <= NF; i++) { w = $i; sub(/,$/, "", w)
			if (w != o) continue
			for (j = i + 1; j <= NF; j++) if ($j !~ /^-/) { print $j; exit }
			exit } }'
}

_cairn_remotes() { _cairn_run remote list | cut -f1; }
_cairn_stages() { _cairn_run stage list | sed -n 's/^\([^: ][^:]*\):.*/\1/p'; }
_cairn_experiments() { _cairn_run exp show | awk 'NR > 1 && $1 != "baseline" { print $1 }'; }
_cairn_revisions() {
	git "${_cairn_git_C[@]}" for-each-ref --format='%(refname:short)' refs/heads refs/tags refs/remotes 2>/dev/null
	echo HEAD
}
_cairn_git_remotes() { git "${_cairn_git_C[@]}" remote 2>/dev/null; }

_cairn_reply_words() { # WORDS CUR: words hold no blanks
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}
_cairn_reply_new() { # WORDS CUR: those not given as arguments yet
	local w a new=
	for w in $1; do
		for a in "${_cairn_args[@]}"; do [ "$a" = "$w" ] && continue 2; done
		new+=" $w"
	done
	_cairn_reply_words "$new" "$2"
}
_cairn_reply_files() { # CUR
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$1"))
	compopt -o filenames 2>/dev/null
}
_cairn_reply_dirs() { # CUR
	local IFS=$'\n'
	COMPREPLY=($(compgen -d -- "$1"))
	compopt -o filenames 2>/dev/null
}

# the argument of option opt (of cmd [sub]): remotes, stages, folders, files, revisions
_cairn_complete_optarg() { # OPT ARG CUR
	case $1:$2 in
	-r:NAME | --remote:NAME) _cairn_reply_words "$(_cairn_remotes)" "$3" ;;
	*:DIR) _cairn_reply_dirs "$3" ;;
	*:REV) _cairn_reply_words "$(_cairn_revisions)" "$3" ;;
	*:DEP | *:OUT | *:FILE) _cairn_reply_files "$3" ;;
	*) COMPREPLY=() ;; # a number, a name, a value: nothing to offer
	esac
}

# positional arguments: args is how many came before the current one
_cairn_complete_args() { # CMD SUB ARGS CUR
	local cmd=$1 sub=$2 n=$3 cur=$4
	case $cmd${sub:+ $sub} in
	help) _cairn_reply_words "$(_cairn_commands)" "$cur" ;;
	"remote remove" | "remote default" | "remote modify")
		if [ "$n" = 0 ]; then _cairn_reply_words "$(_cairn_remotes)" "$cur"; else COMPREPLY=(); fi ;;
	"remote add" | "remote list") COMPREPLY=() ;;
	repro) _cairn_reply_new "$(_cairn_stages)" "$cur" ;;
	"exp apply" | "exp branch" | "exp remove")
		if [ "$n" = 0 ] || [ "$sub" = remove ]; then
			_cairn_reply_new "$(_cairn_experiments)" "$cur"
		else
			COMPREPLY=()
		fi ;;
	"exp push" | "exp pull")
		if [ "$n" = 0 ]; then _cairn_reply_words "$(_cairn_git_remotes)" "$cur"
		else _cairn_reply_new "$(_cairn_experiments)" "$cur"; fi ;;
	"exp run" | "exp show" | "stage list" | dag | version | init | install | uninstall | fsck | gc)
		COMPREPLY=() ;;
	hook) _cairn_reply_words "pre-commit pre-push post-checkout post-merge post-rewrite" "$cur" ;;
	reproduce | "params diff" | "metrics diff" | "metrics show")
		_cairn_reply_words "$(_cairn_revisions)" "$cur" ;;
	diff)
		_cairn_reply_files "$cur"
		COMPREPLY+=($(compgen -W "$(_cairn_revisions)" -- "$cur")) ;;
	config) _cairn_reply_words "$(_cairn_run config -l | sed -n 's/=.*//p')" "$cur" ;;
	*) _cairn_reply_files "$cur" ;;
	esac
}

_cairn() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= i w cmd= sub= subs= nargs=0 arg
	local _cairn_bin=${COMP_WORDS[0]:-cairn} _cairn_C=() _cairn_git_C=() _cairn_args=()
	[[ $_cairn_bin == git || $_cairn_bin == */git ]] && _cairn_bin=cairn
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# "--opt=" is split by bash into "--opt" "=" [value]
	if [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	# global options, the command, its subcommand and the arguments so far
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ -z "$cmd" ]; then
			case $w in
			-C) ((i++)); _cairn_C+=(-C "${COMP_WORDS[i]}"); _cairn_git_C+=(-C "${COMP_WORDS[i]}") ;;
			-*) ;;
			*) cmd=$w; subs=$(_cairn_subcommands "$cmd") ;;
			esac
			continue
		fi
		case $w in
		=) ;;
		--) ;;
		-*)
			[[ ${COMP_WORDS[i + 1]} == = ]] && { ((i += 2)); continue; }
			arg=$(_cairn_optarg "$w" "$cmd" ${sub:+"$sub"})
			[ -n "$arg" ] && ((i++)) ;;
		*)
			if [ -n "$subs" ] && [ -z "$sub" ]; then
				sub=$w
			else
				nargs=$((nargs + 1))
				_cairn_args+=("$w")
			fi ;;
		esac
	done

	if [ -z "$cmd" ]; then
		case $prev in
		-C) _cairn_reply_dirs "$cur"; return ;;
		esac
		if [[ $cur == -* ]]; then
			_cairn_reply_words "-C -q -v -h --quiet --verbose --version --help" "$cur"
		else
			_cairn_reply_words "$(_cairn_commands)" "$cur"
		fi
		return
	fi
	if [ -n "$subs" ] && [ -z "$sub" ] && [[ $cur != -* ]]; then
		_cairn_reply_words "$subs" "$cur"
		return
	fi
	if [[ $prev == -* ]] && [ "$prev" != -- ]; then
		arg=$(_cairn_optarg "$prev" "$cmd" ${sub:+"$sub"})
		if [ -n "$arg" ]; then
			_cairn_complete_optarg "$prev" "$arg" "$cur"
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		_cairn_reply_words "$(_cairn_options "$cmd" ${sub:+"$sub"})" "$cur"
		return
	fi
	_cairn_complete_args "$cmd" "$sub" "$nargs" "$cur"
}

complete -o bashdefault -F _cairn cairn

# git cairn ...: git's completion loads this file as git-cairn and calls
# _git_cairn with its words/cword; the words after "cairn" are ours
_git_cairn() {
	local idx=${__git_cmd_idx:-1}
	local COMP_WORDS=(cairn "${words[@]:idx+1}") COMP_CWORD=$((cword - idx))
	_cairn
}
