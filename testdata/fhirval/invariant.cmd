zib validate invariant-bad.json invariant-ok.json
