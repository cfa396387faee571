zib convert --to cda social.xml
