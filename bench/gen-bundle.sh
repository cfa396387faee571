#!/bin/sh
# Test data for bench/scale.sh (never committed: generated in a temp dir).
#   sh bench/gen-bundle.sh N          a FHIR R4 collection Bundle of N
#                                     minimal Patients (JSON) on stdout
#   sh bench/gen-bundle.sh N DIR      N files DIR/NNNNNN.xml, each a
#                                     Bundle of one such Patient (FHIR XML:
#                                     what every command takes from a DIR)
# Each Patient has its own BSN that passes the eleven-test.
n=${1:?usage: gen-bundle.sh N [DIR]}
dir=${2:-}
awk -v n="$n" -v dir="$dir" '
function bsn(k,    s, d, i, c) {
	# k-th 8-digit stem whose check digit (sum of digit * weight 9..2,
	# mod 11) is a digit: the ninth.
	for (;;) {
		s = sprintf("%08d", 10000000 + stem++)
		c = 0
		for (i = 1; i <= 8; i++)
			c += substr(s, i, 1) * (10 - i)
		c %= 11
		if (c < 10)
			return s c
	}
}
function patient(i) {
	return sprintf("{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-%012d\"," \
		"\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p%d\"," \
		"\"identifier\":[{\"system\":\"http://fhir.nl/fhir/NamingSystem/bsn\",\"value\":\"%s\"}]," \
		"\"name\":[{\"family\":\"Test%d\"}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}}",
		i, i, bsn(i), i)
}
function patient_xml(i) {
	return sprintf("<entry><fullUrl value=\"urn:uuid:00000000-0000-4000-8000-%012d\"/>" \
		"<resource><Patient><id value=\"p%d\"/><identifier>" \
		"<system value=\"http://fhir.nl/fhir/NamingSystem/bsn\"/><value value=\"%s\"/>" \
		"</identifier><name><family value=\"Test%d\"/></name><gender value=\"female\"/>" \
		"<birthDate value=\"1970-01-01\"/></Patient></resource></entry>", i, i, bsn(i), i)
}
BEGIN {
	head = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
	if (dir == "") {
		printf "%s", head
		for (i = 1; i <= n; i++)
			printf "%s%s", (i > 1 ? "," : ""), patient(i)
		printf "]}\n"
	} else {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/%06d.xml", dir, i)
			printf "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>%s</Bundle>\n",
				patient_xml(i) > f
			close(f)
		}
	}
}'
