zib convert --to json bad-unknown.xml
