zib validate cardinality-bad.json cardinality-ok.json
