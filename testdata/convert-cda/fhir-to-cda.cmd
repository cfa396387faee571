zib convert --to cda weight.json
