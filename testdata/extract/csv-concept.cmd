zib extract --concept NL-CM:0.1.6,NL-CM:0.1.10 --to csv bgz.xml
