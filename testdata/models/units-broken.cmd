zib --models units-broken models
