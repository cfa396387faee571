zib validate bad-id-oid.xml
