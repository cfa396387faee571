#!/bin/sh
# Installs the Debian packages zibkit needs to build and test, when missing.
# Run as root (or with sudo available).  Says what it does; fails clearly.
set -u
need="gcc make pkg-config libxml2-dev libcjson-dev libpcre2-dev libarchive-dev"
# mandoc lints the man pages in the test suite; xmllint is used by tests;
# chromium renders the HTML reports in tests/t0101-html-report.sh, zsh checks
# the zsh completion (t0007); each test says it skips without them.  clang
# builds the libFuzzer targets of `make fuzz`; python3 runs the generators of
# the hostile-input tests; parallel (GNU parallel) runs the README's
# "Running at scale" recipe in tests/t0028-stream.sh.
want="mandoc libxml2-utils chromium zsh clang python3 parallel"

missing=
for p in $need $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "setup: all packages present"
	exit 0
fi
echo "setup: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "setup: need root to install:$missing (run: apt-get install$missing)" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: apt-get not found; install by hand:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || { echo "setup: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "setup: apt-get install$missing failed" >&2; exit 1; }
echo "setup: done"
