zib convert --to json -o one.json patient.xml bundle.xml
