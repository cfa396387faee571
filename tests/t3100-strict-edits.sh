#!/bin/sh
# Strict CDA zib rules (issue 21) on edited copies of the three Nictiz BgZ
# 2020 example documents (tests/strict_edits.py makes them in a temp
# dir): every harmful edit gets a new error, no harmless edit does, an edit
# the BgZ transaction relaxes gets a new warning and no new error, and the
# examples' own findings are the ones tests/t3100-examples-expected.txt
# lists with a reason.  "New" is compared with the unedited document, by
# severity, code and path.  The figures are printed as "# " lines.
# T3100_PACKAGE=1 measures with --package (NL schema + Nictiz Schematron):
# figures only, as the examples' expected findings are without it.
. tests/lib.sh
D=$CORPUS/cda-bgz2020
if ! have_corpus || [ ! -f "$D/xml-BgZ2020.xml" ]; then
	test_skip strict-edits "no corpus at $D"
	exit 0
fi
if ! command -v python3 > /dev/null; then
	test_skip strict-edits "no python3 to make the edited documents"
	exit 0
fi

test_expect "zib-models/bgz-transaction.tsv is what gen_transaction.py makes" \
	python3 zib-models/gen_transaction.py --check

pkg=
[ -n "$T3100_PACKAGE" ] && pkg="--package $D"

# keys FILE: one "level code path" line per finding of zib's text output
# (kept in $T/out, the exit status in $T/rc).
keys() {
	zib validate -q $pkg "$1" > "$T/out"
	echo $? > "$T/rc"
	awk '
		/^[^ ].*: (error|warning)\[/ {
			if (k != "") print k
			match($0, /(error|warning)\[[^]]*\]/)
			k = substr($0, RSTART, RLENGTH); next
		}
		/^    at / && k != "" { print k " " substr($0, 8); k = ""; next }
		END { if (k != "") print k }' "$T/out" | sort -u
}

for doc in xml-BgZ2020.xml xml-BgZ2020-test.xml xml-BgZ2020-notyetvalid.xml; do
	keys "$D/$doc" > "$T/base-$doc"
	sed "s/^/$doc /" "$T/base-$doc"
done > "$T/examples"
grep -v '^#' tests/t3100-examples-expected.txt | cut -f1-2 | tr '\t' ' ' | sort > "$T/examples.want"
sort "$T/examples" > "$T/examples.got"
test_expect "the Nictiz examples' findings are those t3100-examples-expected.txt explains" \
	diff "$T/examples.want" "$T/examples.got"

for set in tune held; do
	mkdir "$T/$set"
	if ! python3 tests/strict_edits.py "$D" "$T/$set" "$set" > "$T/$set.log" 2>&1; then
		echo "not ok make the $set edits"; cat "$T/$set.log"; t_failed=1; continue
	fi
	: > "$T/$set.bad"; : > "$T/$set.got"
	e=0 w=0 n=0 harmless=0 harmless_err=0 rejected=0 rejected_default=0
	while IFS='	' read -r file doc kind; do
		keys "$T/$set/$file" | comm -23 - "$T/base-$doc" > "$T/new"
		if grep -q '^error' "$T/new"; then got=error
		elif grep -q '^warning' "$T/new"; then got=warning
		else got=nothing; fi
		echo "$kind $got" >> "$T/$set.got"
		# Rejected by default: exit 1 (an error); by --fail-on warning:
		# that or any warning (testdata/validate-fhir checks --fail-on).
		if [ "$kind" = harmless ]; then
			[ "$(cat "$T/rc")" = 0 ] || rejected_default=$((rejected_default + 1))
			[ "$(cat "$T/rc")" = 0 ] && ! grep -q ': warning\[' "$T/out" ||
				rejected=$((rejected + 1))
		fi
		case $kind in
		harmful)
			case $got in error) e=$((e + 1)) ;; warning) w=$((w + 1)) ;; *) n=$((n + 1)) ;; esac
			[ "$got" = error ] || echo "$file: harmful edit got $got" >> "$T/$set.bad" ;;
		harmless|allowed)
			[ "$kind" = harmless ] && harmless=$((harmless + 1))
			if [ "$got" = error ]; then
				[ "$kind" = harmless ] && harmless_err=$((harmless_err + 1))
				{ echo "$file: $kind edit got a new error"; cat "$T/new"; } >> "$T/$set.bad"
			fi ;;
		relaxed)
			[ "$got" = warning ] || echo "$file: relaxed edit got $got, want warning" >> "$T/$set.bad" ;;
		esac
	done < "$T/$set/manifest.tsv"
	echo "# $set: harmful edits: $e error, $w warning, $n nothing;" \
		"harmless edits: $harmless_err of $harmless with a new error," \
		"$rejected of $harmless rejected by --fail-on warning, $rejected_default by default"
	sort "$T/$set.got" | uniq -c | awk -v s="$set" '{ printf "# %s: %s edits, worst new finding %s: %d\n", s, $2, $3, $1 }'
	test_expect "$set edits: harmful get a new error, harmless none, relaxed a warning" \
		sh -c '! [ -s "$1" ] || { cat "$1"; exit 1; }' - "$T/$set.bad"
done
exit $t_failed
