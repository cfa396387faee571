zib validate --schema no-such.xsd valid.xml
