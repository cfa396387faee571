zib validate --max-size 12X ../validate/valid.xml
