zib validate --dump-tree valid.xml
