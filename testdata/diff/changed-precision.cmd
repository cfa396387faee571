zib diff base.xml changed-precision.xml
