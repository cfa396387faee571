zib validate bad-pq.xml
