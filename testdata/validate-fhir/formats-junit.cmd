zib validate --format junit patient-bad-bsn.json bodyweight-ok.xml
