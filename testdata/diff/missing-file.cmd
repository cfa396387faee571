zib diff base.xml no-such-file.xml
