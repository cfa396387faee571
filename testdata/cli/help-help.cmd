zib help --help
