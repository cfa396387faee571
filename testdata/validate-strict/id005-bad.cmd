zib validate id005-bad.xml
