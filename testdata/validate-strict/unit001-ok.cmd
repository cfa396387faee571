zib validate unit001-ok.xml
