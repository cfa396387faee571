/*
 * FHIR-native codes back to zib codes, per zib value set (generated from
 * the profiles' ConceptMaps by zib-models/gen_fhir_conceptmaps.py), and
 * zib2017 codes to zib2020 ones.  Code facts, not FHIR parsing: the CDA
 * and ADA readers use them too, so they live in the model layer.
 */
#ifndef ZIB_MODEL_CONCEPTMAPS_H
#define ZIB_MODEL_CONCEPTMAPS_H

#include <stddef.h>

struct fhir_conceptmap {
	const char *valueset;      /* the zib value set OID */
	const char *fhir_system;   /* "http://terminology.hl7.org/CodeSystem/condition-clinical" */
	const char *fhir_code;     /* "active" */
	const char *zib_system;    /* "http://snomed.info/sct" */
	const char *zib_code;      /* "55561003" */
	const char *fhir_element;  /* R4 CodeableConcept elements that require
	                            * the FHIR value set: "Condition.clinicalStatus" */
	int derived;               /* mapped as its parent in the CodeSystem */
};

extern const struct fhir_conceptmap model_fhir_conceptmaps[];
extern const size_t model_fhir_nconceptmaps;

/* The zib code of value set oid for a FHIR code, or NULL (hash lookup,
 * built once per process). */
const struct fhir_conceptmap *model_fhir_conceptmap_find(const char *oid, const char *system, const char *code);

/* The same for a bare FHIR code (a code primitive such as ContactPoint.use
 * 'home', whose system the element implies): NULL when no entry or when
 * entries of several systems map the code differently. */
const struct fhir_conceptmap *model_fhir_conceptmap_find_code(const char *oid, const char *code);

/* The other way, for writing R4: the FHIR code of element (a required
 * CodeableConcept, "AllergyIntolerance.verificationStatus") for zib code
 * code of value set oid.  NULL when no map names it. */
const struct fhir_conceptmap *model_fhir_conceptmap_for_element(const char *oid, const char *code,
	const char *element);

/* Does a ConceptMap of value set oid map into element's required value set? */
int model_fhir_conceptmap_binds(const char *oid, const char *element);

/* The zib2017 code a zib2020 code of value set oid was read from (a row
 * whose FHIR system is a urn:oid zib code system: BehandelBesluit '0' was
 * BehandelingToegestaan 'JA'), or NULL.  zib_system may be an OID or a
 * urn:oid. */
const struct fhir_conceptmap *model_fhir_conceptmap_zib2017(const char *oid, const char *zib_system,
	const char *zib_code);

struct zib_ctx;
struct zib_concept;
struct zib_value;

/* A zib2017 code (code system an OID, as CDA and ADA give it) of a concept
 * whose zib2020 value set has other codes (BehandelingToegestaan 'JA' read
 * as BehandelBesluit): v becomes the zib2020 code with its display. */
void model_fhir_conceptmap_zib2017_code(const struct zib_ctx *ctx, const struct zib_concept *c,
	struct zib_value *v);

/* Does a ConceptMap map codes of FHIR system into value set oid? */
int model_fhir_conceptmap_has_system(const char *oid, const char *system);

/* Does a ConceptMap map FHIR codes into value set oid? */
int model_fhir_conceptmap_has_valueset(const char *oid);

#endif
