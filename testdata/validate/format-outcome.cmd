zib validate --format outcome valid.xml bad-bsn.xml bad-ts.xml
