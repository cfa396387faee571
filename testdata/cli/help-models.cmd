zib help models
