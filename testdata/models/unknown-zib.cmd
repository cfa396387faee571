zib models Nope
