zib validate --format junit valid-vitals.xml card003-ok.xml *-bad.xml
