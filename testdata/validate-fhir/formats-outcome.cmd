zib validate --format outcome patient-bad-bsn.json bodyweight-ok.xml
