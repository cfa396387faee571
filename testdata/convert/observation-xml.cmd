zib convert --to xml --pretty observation.json
