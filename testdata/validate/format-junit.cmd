zib validate --format junit valid.xml bad-bsn.xml bad-ts.xml
