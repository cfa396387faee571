zib convert --to xml - < observation.json
