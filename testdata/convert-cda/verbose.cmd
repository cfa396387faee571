zib convert -v --to cda social.xml
