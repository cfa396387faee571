zib validate --format html valid.xml bad-bsn.xml bad-ts.xml
