zib convert --to cda --strict weight.json
