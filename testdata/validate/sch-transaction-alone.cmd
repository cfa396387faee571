zib validate --transaction createUpdate valid.xml
