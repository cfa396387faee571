zib convert --to xml bad-duplicate.json
