zib diff base.xml reordered.xml
