zib convert --to json observation.json
