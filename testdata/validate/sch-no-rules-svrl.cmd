zib validate --format svrl valid.xml
