zib extract --zib Probleem --to csv bgz.xml
