zib validate --format json patient-bad-bsn.json bodyweight-ok.xml
