zib diff --only Probleem base.xml changed-pq.xml
