zib validate bad-bsn-length.xml
