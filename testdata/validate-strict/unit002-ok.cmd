zib validate unit002-ok.xml
