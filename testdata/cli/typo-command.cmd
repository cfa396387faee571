zib valdate x.xml
