zib convert --to cda --now weight.json weight.json 2>&1 >/dev/null | grep -c "\[ZIB-CDAW-001\]"
