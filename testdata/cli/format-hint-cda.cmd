zib convert --to json ../validate/valid.xml
