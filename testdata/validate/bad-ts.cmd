zib validate bad-ts.xml
