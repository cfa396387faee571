zib help nope
