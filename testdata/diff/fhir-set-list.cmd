zib diff pairs/weight.fhir-r4.json @fhir-set.list
