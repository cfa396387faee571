zib validate unit001-bad.xml
