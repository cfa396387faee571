zib convert --to cda --bundle document r4-small.json
