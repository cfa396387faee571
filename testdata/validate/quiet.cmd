zib validate -q bad-bsn.xml
