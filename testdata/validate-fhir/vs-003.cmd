zib validate vs-003-bad.xml vs-003-bad.json
