/*
 * libFuzzer target: any bytes as a FHIRPath expression, compiled and, when
 * it compiles, evaluated on a small Patient.  Nothing may crash, leak or
 * loop; errors are fine.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char patient[] =
	"{\"resourceType\":\"Patient\",\"id\":\"p\",\"contained\":[{\"resourceType\":"
	"\"Organization\",\"id\":\"o\",\"name\":\"Praktijk\"}],\"active\":true,"
	"\"name\":[{\"family\":\"Jansen\",\"given\":[\"Jan\",\"Piet\"]},{\"given\":[\"J\"]}],"
	"\"birthDate\":\"1970-03-15\",\"_birthDate\":{\"extension\":[{\"url\":\"http://x\","
	"\"valueDateTime\":\"1970-03-15T08:30:00+01:00\"}]},"
	"\"managingOrganization\":{\"reference\":\"#o\"},"
	"\"multipleBirthInteger\":2}";

static int ignore(void *user, const zib_fhirpath_value *v)
{
	(void)user;
	(void)v;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static zib_fhir *f;
	zib_fhirpath *p = NULL;
	zib_error err;
	char *expr;

	if (!f && zib_fhir_parse(&f, patient, strlen(patient), "p.json", NULL, &err) != ZIB_OK)
		abort();
	if (size > 4096 || !(expr = malloc(size + 1)))
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	if (zib_fhirpath_compile(&p, expr, &err) == ZIB_OK) {
		zib_fhirpath_eval(p, f, 0, ignore, NULL, &err);
		zib_fhirpath_eval(p, f, ZIB_FHIRPATH_STRICT, ignore, NULL, &err);
	}
	zib_fhirpath_free(p);
	free(expr);
	return 0;
}
