#!/bin/sh
# HTML reports (zib validate --format html, zib diff --format html): one
# self-contained page each (no script, no stylesheet or image fetched, no
# network), well-formed for an HTML parser, with the summary tables and
# source snippets; and rendered by a real browser, headless Chromium, into
# a screenshot that must be a non-blank 1200x900 PNG (tests/png-check.py).
# Without chromium the browser checks are skipped with a message.
# ZIB_SCREENSHOT_DIR=DIR keeps the two screenshots (validate.png, diff.png).
. tests/lib.sh

V=testdata/validate
D=testdata/diff
zib validate -q --format html $V/valid.xml $V/bad-bsn.xml $V/bad-ts.xml > "$T/validate.html"
zib diff -q --format html $D/base.xml $D/changed-ref.xml > "$T/diff.html"

self_contained() {
	for f in "$T/validate.html" "$T/diff.html"; do
		! grep -Eiq '<script|<link|<img|<iframe|src=|url\(|@import|https?://' "$f" ||
			{ echo "$f refers outside itself"; grep -Eio '<script|<link|<img|src=[^ >]*|url\([^)]*\)|https?://[^ "<]*' "$f"; return 1; }
		grep -q '<style>' "$f" || { echo "$f: no inline style"; return 1; }
	done
}
test_expect "the pages are self-contained (inline CSS, no script, nothing fetched)" self_contained

if command -v xmllint > /dev/null; then
	test_expect "the pages parse as HTML" xmllint --html --noout "$T/validate.html" "$T/diff.html"
fi

validate_content() {
	grep -q '<td class="num">3</td><td class="num">2</td><td class="num">2</td>' "$T/validate.html" &&
	grep -q '<tr class="error"><td>ZIB-ID-002</td><td>error</td><td class="num">1</td>' "$T/validate.html" &&
	grep -q '<tr class="error"><td>Patient</td><td>error</td><td class="num">2</td>' "$T/validate.html" &&
	grep -q '<span class="hit"><span class="ln">   13</span>' "$T/validate.html" &&
	[ "$(grep -c '<div class="doc ' "$T/validate.html")" = 3 ]
}
test_expect "validate: totals, counts per code and per zib, a table per document, the source line" \
	validate_content

diff_content() {
	grep -q '<div class="v chg"[^>]*><span class="cid">NL-CM:17.1.1</span> <b>Zorgverlener</b> -&gt; zv1' "$T/diff.html" &&
	grep -q '<div class="v chg"[^>]*><span class="cid">NL-CM:17.1.1</span> <b>Zorgverlener</b> -&gt; zv2' "$T/diff.html" &&
	grep -q 'class="onlyb">only in B' "$T/diff.html"
}
test_expect "diff: the instances side by side, the changed concept marked on both sides" diff_content

BROWSER=
for b in chromium chromium-browser; do
	command -v $b > /dev/null && { BROWSER=$b; break; }
done
if [ -z "$BROWSER" ]; then
	test_skip "the HTML reports render in a browser" "chromium not installed (tools/setup.sh installs it)"
	exit $t_failed
fi

# shot PAGE PNG: a headless screenshot of PAGE, 1200x900, no network.
shot() {
	profile=$(mktemp -d)
	timeout 120 $BROWSER --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
		--screenshot="$2" --window-size=1200,900 "file://$1" > "$T/browser.log" 2>&1
	rc=$?
	rm -rf "$profile"
	[ $rc = 0 ] && [ -s "$2" ] || { tail -5 "$T/browser.log"; return 1; }
	python3 tests/png-check.py "$2" 1200 900
}
# A page with nothing on it must fail the check, or the check proves nothing.
printf '<!DOCTYPE html><html><body></body></html>\n' > "$T/blank.html"
blank_refused() {
	shot "$T/blank.html" "$T/blank.png" > /dev/null && return 1
	[ -s "$T/blank.png" ]
}
test_expect "a blank page renders and is refused by tests/png-check.py" blank_refused
test_expect "validate --format html renders in $BROWSER (a non-blank 1200x900 screenshot)" \
	shot "$T/validate.html" "$T/validate.png"
test_expect "diff --format html renders in $BROWSER (a non-blank 1200x900 screenshot)" \
	shot "$T/diff.html" "$T/diff.png"
# ZIB_SCREENSHOT_DIR=DIR keeps the screenshots for a person to look at.
if [ -n "${ZIB_SCREENSHOT_DIR:-}" ] && [ -d "$ZIB_SCREENSHOT_DIR" ]; then
	cp "$T/validate.png" "$T/diff.png" "$ZIB_SCREENSHOT_DIR"/ 2>/dev/null &&
		echo "# screenshots: $ZIB_SCREENSHOT_DIR/validate.png $ZIB_SCREENSHOT_DIR/diff.png"
fi
exit $t_failed
