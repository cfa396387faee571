zib models
