zib validate -v dt-001-relative-ok.xml
