zib validate extension-bad.json extension-ok.json
