zib --color=sometimes models
