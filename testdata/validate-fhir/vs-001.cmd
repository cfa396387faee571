zib validate vs-001-bad.xml vs-001-bad.json vs-001-land-bad.xml
