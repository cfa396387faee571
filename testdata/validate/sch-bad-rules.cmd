zib validate --schematron ../schematron/unknown-function.sch valid.xml
