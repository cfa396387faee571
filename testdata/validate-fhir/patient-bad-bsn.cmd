zib validate patient-bad-bsn.json
