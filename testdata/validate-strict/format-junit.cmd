# JUnit times and the timestamp vary from run to run: masked.
t=$(mktemp); zib validate --format junit valid-vitals.xml card003-ok.xml *-bad.xml > "$t"; rc=$?
sed -E 's/ (time|timestamp)="[^"]*"/ \1="(varies)"/g' "$t"; rm -f "$t"; exit $rc
