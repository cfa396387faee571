zib validate id005-ok.xml
