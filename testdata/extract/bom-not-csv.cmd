zib extract --to json --bom bgz.xml
