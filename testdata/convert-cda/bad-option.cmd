zib convert --to cda --pretty-print social.xml
