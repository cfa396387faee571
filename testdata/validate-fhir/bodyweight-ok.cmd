zib validate bodyweight-ok.xml
