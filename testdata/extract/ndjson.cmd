zib extract --zib Lichaamsgewicht,Probleem --to ndjson bgz.xml
