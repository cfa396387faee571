zib validate valid-vitals.xml
