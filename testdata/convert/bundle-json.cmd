zib convert --to json --pretty bundle.xml
