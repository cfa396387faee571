zib validate --format json valid-vitals.xml card003-ok.xml *-bad.xml
