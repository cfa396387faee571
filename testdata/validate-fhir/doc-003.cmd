zib validate no-such-resource.json card-001-ok.json
