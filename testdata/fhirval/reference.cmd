zib validate reference-bad.json reference-ok.json
