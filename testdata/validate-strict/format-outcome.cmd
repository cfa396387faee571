zib validate --format outcome valid-vitals.xml card003-ok.xml *-bad.xml
