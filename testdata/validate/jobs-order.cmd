zib validate -j 4 bad-ts.xml valid.xml bad-bsn.xml bad-vs.xml bad-pq.xml
