zib validate --format sarif valid.xml bad-bsn.xml bad-ts.xml
