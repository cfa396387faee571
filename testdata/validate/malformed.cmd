zib validate malformed.xml
