zib diff base.xml changed-pq.xml
