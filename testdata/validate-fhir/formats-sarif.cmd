zib validate --format sarif patient-bad-bsn.json bodyweight-ok.xml
