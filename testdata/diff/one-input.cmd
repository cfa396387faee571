zib diff base.xml
