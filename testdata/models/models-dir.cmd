zib --models tiny models --all
