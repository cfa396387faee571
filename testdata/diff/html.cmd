zib diff --format html base.xml changed-ref.xml
