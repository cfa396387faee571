zib validate bundle-bad.json bundle-ok.json
