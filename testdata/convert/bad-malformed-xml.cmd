zib convert --to json bad-malformed.xml
