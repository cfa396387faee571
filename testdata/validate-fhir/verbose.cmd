zib validate -v bundle-refs.xml
