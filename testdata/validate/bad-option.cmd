zib validate --frobnicate valid.xml
