zib validate bad-identity.xml
