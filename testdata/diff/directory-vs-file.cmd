zib diff side-a changed-pq.xml
