zib convert -q --to ndjson patient.xml bundle.xml observation.json list.ndjson
