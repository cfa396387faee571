zib validate primitive-bad.json primitive-ok.json
