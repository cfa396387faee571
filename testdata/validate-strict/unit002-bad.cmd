zib validate unit002-bad.xml
