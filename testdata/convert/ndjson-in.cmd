zib convert --to json --pretty list.ndjson
