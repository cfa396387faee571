zib validate --package pkg --transaction nosuch valid.xml
