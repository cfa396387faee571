/*
 * The slices of the zib profiles and how to recognise them in data, for
 * the zib reader (generated from the profiles by zib-models/gen_fhir_slices.py).
 */
#ifndef ZIB_FHIR_SLICES_H
#define ZIB_FHIR_SLICES_H

#include <stddef.h>

struct fhir_slice {
	const char *key;      /* "zib-BloodPressure#Observation.component:SystolicBP" */
	char kind;            /* 'u' url, 'c' codes, 's' identifier system, 'v' value set */
	const char *value;    /* space-separated for 'c' and 's' */
};

extern const struct fhir_slice fhir_slices[];
extern const size_t fhir_nslices;

/* The slice called key, or NULL (hash lookup, built once per process). */
const struct fhir_slice *fhir_slice_find(const char *key);

#endif
