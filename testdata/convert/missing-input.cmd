zib convert --to json no-such-file.xml
