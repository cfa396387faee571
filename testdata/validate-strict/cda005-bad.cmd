zib validate cda005-bad.xml
