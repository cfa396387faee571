zib diff --format json base.xml changed-ts.xml
