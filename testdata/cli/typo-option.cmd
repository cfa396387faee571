zib validate --fromat json x.xml 2>&1 | head -1
