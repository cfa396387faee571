zib diff base.xml changed-ts.xml
