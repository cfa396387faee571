zib validate vs-002-bad.xml vs-002-bad.json
