zib diff --ignore NL-CM:12.1.2 base.xml changed-pq.xml
