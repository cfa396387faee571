zib validate empty.xml
