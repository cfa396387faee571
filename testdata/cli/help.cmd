zib --help
