zib validate bundle-refs.xml
