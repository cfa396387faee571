zib models --frob
