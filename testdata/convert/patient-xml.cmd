zib convert --to xml --pretty patient.xml
