zib
