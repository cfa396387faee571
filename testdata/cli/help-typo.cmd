zib help valdate
