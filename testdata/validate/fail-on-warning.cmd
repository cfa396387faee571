zib validate --fail-on warning bad-template.xml
