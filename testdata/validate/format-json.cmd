zib validate --format json valid.xml bad-bsn.xml bad-ts.xml
