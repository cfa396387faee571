zib extract --to csv --zib Probleem quoting.xml
