zib convert --to xml bad-type.json
