zib diff pairs/weight.ada.xml fhir-set
