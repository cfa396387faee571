zib --bogus models
