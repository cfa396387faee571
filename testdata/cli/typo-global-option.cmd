zib --fromat json validate 2>&1 | head -1
