zib extract --to fhir-r4 --zib Patient,Lichaamsgewicht bgz.xml
