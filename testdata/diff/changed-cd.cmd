zib diff base.xml changed-cd.xml
