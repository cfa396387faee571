zib convert --to xml bad-unknown.json
