zib validate unknown-unit.xml
