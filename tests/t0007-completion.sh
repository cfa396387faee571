#!/bin/sh
# Shell completion (completion/zib.bash, completion/_zib): bash completes
# commands, a command's long options and their values, read from the
# help texts; zsh's file is at least valid zsh.  `make install` puts them
# where bash-completion and zsh look (checked with DESTDIR).
. tests/lib.sh

if ! command -v bash > /dev/null; then
	test_skip "bash completion" "bash not installed"
else
	# complete WORDS...: the candidates bash offers for the last word.
	complete_words() {
		bash -c '
			. completion/zib.bash
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			_zib
			printf "%s\n" "${COMPREPLY[@]}"' zib "$@"
	}
	commands_done() {
		complete_words zib val > "$T/c" && grep -qx validate "$T/c" && [ "$(wc -l < "$T/c")" = 1 ]
	}
	test_expect "bash: a command from 'zib val'" commands_done
	options_done() {
		complete_words zib validate --bas > "$T/c" && grep -qx -- --baseline "$T/c" &&
		complete_words zib extract --b > "$T/c" && grep -qx -- --bom "$T/c"
	}
	test_expect "bash: a command's long options ('--bas' -> --baseline)" options_done
	values_done() {
		complete_words zib validate --format '' > "$T/c" &&
		grep -qx html "$T/c" && grep -qx junit "$T/c" && grep -qx outcome "$T/c" &&
		complete_words zib extract --to nd > "$T/c" && grep -qx ndjson "$T/c" &&
		complete_words zib validate --checks '' > "$T/c" &&
		grep -qx fhir "$T/c" && grep -qx zib "$T/c" && grep -qx all "$T/c"
	}
	test_expect "bash: option values from the usage ('--format' -> html, junit, ...)" values_done
	help_done() {
		complete_words zib help co > "$T/c" && grep -qx codes "$T/c" && grep -qx convert "$T/c"
	}
	test_expect "bash: 'zib help co' offers codes and convert" help_done
fi

if command -v zsh > /dev/null; then
	test_expect "zsh: completion/_zib parses" zsh -n completion/_zib
else
	test_skip "zsh: completion/_zib parses" "zsh not installed"
fi

# make -n: the install commands, without building or writing anything.
install_places() {
	make -n install DESTDIR=/dest PREFIX=/usr BUILD="${BUILD:-build}" > "$T/install.log" 2>&1 ||
		{ cat "$T/install.log"; return 1; }
	grep -q 'completion/zib.bash /dest/usr/share/bash-completion/completions/zib' "$T/install.log" &&
	grep -q 'completion/_zib /dest/usr/share/zsh/site-functions/_zib' "$T/install.log" &&
	grep -q 'man/libzib.3 /dest/usr/share/man/man3/' "$T/install.log" ||
		{ grep -e completion -e man3 "$T/install.log"; return 1; }
}
test_expect "make install puts the completions and man 3 libzib in place" install_places
exit $t_failed
