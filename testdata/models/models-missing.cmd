zib --models does-not-exist models
