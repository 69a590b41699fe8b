# bash completion for cairn (installed as .../bash-completion/completions/cairn
# and .../git-cairn). Commands and options come from the binary itself
# (`cairn help`, `cairn CMD --help`), so they never go stale; subcommands of
# remote, exp, stage, metrics and params come from their --help usage lines.

_cairn_commands() {
	cairn help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'
}

_cairn_options() { # CMD [SUB]
	cairn "$@" --help 2>/dev/null |
		grep -o -- '--[a-z][a-z0-9-]*\|^  -[a-zA-Z]' | sed 's/^  //' | sort -u
}

_cairn_subcommands() { # CMD: words of "usage: cairn CMD WORD" lines
	cairn "$1" --help 2>/dev/null | sed -n "s/^ *\(usage: \)\{0,1\}cairn $1 \([a-z][a-z-]*\).*/\2/p" | sort -u
}

_cairn() {
	local cur=${COMP_WORDS[COMP_CWORD]} i cmd= sub= subs
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C) ((i++)) ;;
		-*) ;;
		*)
			if [ -z "$cmd" ]; then cmd=${COMP_WORDS[i]}
			elif [ -z "$sub" ]; then sub=${COMP_WORDS[i]}
			fi ;;
		esac
	done
	if [ "${COMP_WORDS[COMP_CWORD-1]}" = "-C" ]; then
		COMPREPLY=($(compgen -d -- "$cur"))
		return
	fi
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-C -q -v --version --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_cairn_commands)" -- "$cur"))
		fi
		return
	fi
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "$(_cairn_commands)" -- "$cur"))
		return
	fi
	subs=$(_cairn_subcommands "$cmd")
	if [ -n "$subs" ] && [ -z "$sub" ] && [[ $cur != -* ]]; then
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		if [ -n "$subs" ] && [ -n "$sub" ]; then
			COMPREPLY=($(compgen -W "$(_cairn_options "$cmd" "$sub")" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_cairn_options "$cmd")" -- "$cur"))
		fi
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -o bashdefault -F _cairn cairn
# git cairn ...: git's completion calls _git_cairn for the words after "cairn"
_git_cairn() {
	local COMP_WORDS=(cairn "${words[@]:2}") COMP_CWORD=$((cword - 1))
	_cairn
}
