zib validate bad-section.xml
