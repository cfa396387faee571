zib convert --to json --pretty patient.xml
