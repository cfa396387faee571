zib validate -v valid.xml
