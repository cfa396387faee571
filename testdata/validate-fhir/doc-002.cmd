zib validate --max-size 200 fhirz-002-ok.json id-002-ok.xml
