zib validate binding-bad.json binding-ok.json
