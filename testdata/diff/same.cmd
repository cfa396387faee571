zib diff base.xml base.xml
