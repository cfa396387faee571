zib validate card003-bad.xml
