zib diff base.xml display-only.xml
