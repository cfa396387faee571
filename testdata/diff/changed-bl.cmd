zib diff base.xml changed-bl.xml
