zib diff base.xml changed-ii.xml
