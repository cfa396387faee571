zib validate cda005-ok.xml
