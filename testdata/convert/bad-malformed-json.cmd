zib convert --to xml bad-malformed.json
