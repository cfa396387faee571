zib validate --fail-on warning id-004-bad.xml id-004-bad.json
