zib diff base.xml changed-target.xml
