zib validate card003-ok.xml
