zib validate bad-vs.xml
