# bash completion for zib (installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/zib).
# Commands, options and option values are read from `zib --help` and
# `zib COMMAND --help`, so they follow the installed zib.

_zib_values() {   # the alternatives of "OPTION a|b|c" in a usage text
	zib $1 --help 2>/dev/null | grep -oE -- "$2 [a-z0-9-]+(\|[a-z0-9-]+)+" | head -1 |
		cut -d' ' -f2 | tr '|' ' '
}

_zib() {
	local cur prev cmd w i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--models|--format|--color) ((i++)) ;;
		-*) ;;
		*) cmd=$w; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		case $prev in
		--models) COMPREPLY=($(compgen -d -- "$cur")); return ;;
		--format|--color) COMPREPLY=($(compgen -W "$(_zib_values "" "$prev")" -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$(zib --help 2>/dev/null | grep -oE -- '--[a-z-]+' | sort -u)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(zib --help 2>/dev/null |
				sed -n '/^commands:/,/^$/s/^   \([a-z]*\) .*/\1/p')" -- "$cur"))
		fi
		return
	fi
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "codes $(zib --help 2>/dev/null |
			sed -n '/^commands:/,/^$/s/^   \([a-z]*\) .*/\1/p')" -- "$cur"))
		return
	fi
	if [[ $prev == --* ]]; then
		local vals
		vals=$(_zib_values "$cmd" "$prev")
		if [ -n "$vals" ]; then
			COMPREPLY=($(compgen -W "$vals" -- "$cur"))
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(zib "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z-]+' | sort -u)" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _zib zib
