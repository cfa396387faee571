zib extract --zib Lichaamsgewicht --to csv --bom bgz.xml | od -An -c | head -1
