zib diff base.xml same-instant.xml
