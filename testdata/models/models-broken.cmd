zib --models broken models
