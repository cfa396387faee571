zib validate --package pkg --transaction demo valid.xml
