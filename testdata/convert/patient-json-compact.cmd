zib convert --to json patient.xml
