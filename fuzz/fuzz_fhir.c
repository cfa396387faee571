/*
 * libFuzzer target: any bytes through the FHIR format layer; whatever
 * parses must write as JSON and XML, and the JSON must parse again.
 */
#include <stdint.h>
#include <stdlib.h>

#include "zib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zib_fhir *f = NULL, *again = NULL;
	zib_error err;
	char *json = NULL, *xml = NULL;
	size_t jlen, xlen;

	if (zib_fhir_parse(&f, (const char *)data, size, "fuzz", NULL, &err) != ZIB_OK)
		return 0;
	if (zib_fhir_write_json(&json, &jlen, f, 0, &err) != ZIB_OK ||
	    zib_fhir_write_xml(&xml, &xlen, f, 0, &err) != ZIB_OK)
		abort();
	if (zib_fhir_parse(&again, json, jlen, "fuzz.json", NULL, &err) != ZIB_OK)
		abort();
	zib_fhir_free(again);
	zib_fhir_free(f);
	free(json);
	free(xml);
	return 0;
}
