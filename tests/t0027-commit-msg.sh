#!/bin/sh
# tools/git-hooks/commit-msg: a subject over 72 characters is refused,
# one of 72 is taken, comment lines before the subject are skipped.
. tests/lib.sh
hook=tools/git-hooks/commit-msg
printf '%073d\n\nbody\n' 0 > "$T/long"
printf '# a comment\n%072d\n' 0 > "$T/ok"
test_expect "a 73-character subject is refused" expect_exit 1 sh "$hook" "$T/long"
test_expect "a 72-character subject after a comment is taken" sh "$hook" "$T/ok"
exit $t_failed
