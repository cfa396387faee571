zib models --all --format json
