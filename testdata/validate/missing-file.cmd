zib validate no-such-file.xml valid.xml
