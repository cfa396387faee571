zib diff --ignore Nope base.xml changed-pq.xml
