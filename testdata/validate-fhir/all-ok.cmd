zib validate --fail-on warning *-ok.xml *-ok.json
