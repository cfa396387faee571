zib validate bad-bsn.xml
