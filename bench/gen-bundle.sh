#!/bin/sh
# Writes a FHIR R4 collection Bundle of N minimal Patients to stdout (JSON).
# Usage: sh bench/gen-bundle.sh N
n=${1:?usage: gen-bundle.sh N}
awk -v n="$n" 'BEGIN {
	printf "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
	for (i = 1; i <= n; i++) {
		printf "%s{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-%012d\",", (i > 1 ? "," : ""), i
		printf "\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p%d\",", i
		printf "\"identifier\":[{\"system\":\"http://fhir.nl/fhir/NamingSystem/bsn\",\"value\":\"%09d\"}],", i
		printf "\"name\":[{\"family\":\"Test%d\"}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}}", i
	}
	printf "]}\n"
}'
