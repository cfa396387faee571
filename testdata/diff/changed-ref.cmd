zib diff base.xml changed-ref.xml
