zib validate cda006-bad.xml
