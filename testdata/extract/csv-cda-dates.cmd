zib extract --zib Patient --concept NL-CM:0.1.10 --to csv ../validate/valid.xml ../validate/bad-ts.xml
