zib validate --dump-tree names.xml
