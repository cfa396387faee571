zib validate bad-codesystem.xml
