zib validate --format sarif valid-vitals.xml card003-ok.xml *-bad.xml
