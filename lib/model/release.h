/*
 * Releases as data: each zib release libzib reads and writes (zib2020 on
 * FHIR R4, zib2017 on FHIR STU3 as MedMij BgZ 3.0 uses it) is one row of a
 * table (model/release.c).  Code asks the row, not a flag: the model
 * columns a release's element paths and profile urls are in, its profile
 * and code system url conventions, its FHIR version.
 *
 * Differences of FHIR structure (R4 Observation.hasMember where STU3 has
 * related, MedicationStatement.taken) are asked of fhir_major, so a later
 * FHIR version takes R4's side unless told otherwise.  Differences of the
 * zib profiles are fields of their own.
 *
 * Adding a release: a row in releases[] (its slot the next free one below
 * ZIB_RELEASE_MAX), its columns in zib-models/bgz.tsv and zibs/ (the
 * generator), and for FHIR its structure table in fhir/defs.c.
 */
#ifndef ZIB_MODEL_RELEASE_H
#define ZIB_MODEL_RELEASE_H

#include <stddef.h>

/* The per-release columns a model holds (struct zib_concept fhir[]). */
#define ZIB_RELEASE_MAX 4

struct zib_release {
	size_t slot;                     /* index of the release's model columns */
	const char *id;                  /* "zib2020" */
	const char *fhir_version;        /* "4.0.1" */
	int fhir_major;                  /* 4 */
	const char *fhir_name;           /* "FHIR R4", in messages */
	const char *label;               /* "zib2020 (FHIR R4)": what a document was read as */
	const char *path_column;         /* zibs/<zib>.tsv column of its element paths */
	const char *profiles_column;     /* bgz.tsv column of its profile urls */
	/* The release whose paths serve where this one's column is empty
	 * (zib2017 lists only where it differs from zib2020); NULL: none. */
	const char *fallback;
	/* The profile a resource of zib-X claims is this prefix + X
	 * (zib2020's nl-core-X); NULL: the zib profile of the release's list. */
	const char *core_profile_prefix;
	/* How HL7 code systems are named: v2 and v3 tables, and the others
	 * (R4 http://terminology.hl7.org/CodeSystem/v3-RoleCode, STU3
	 * http://hl7.org/fhir/v3/RoleCode). */
	const char *hl7_v2_prefix, *hl7_v3_prefix, *hl7_prefix;
	/* The extension that carries a zib coding on a FHIR code element. */
	const char *code_spec_extension;
	/* Coded zib values also go into string elements (Address.country),
	 * their coding in code_spec_extension. */
	int coded_strings;
	/* The profiles' ConceptMaps put FHIR's own codes beside the zib's in
	 * CodeableConcepts that require them (Condition.clinicalStatus). */
	int fhir_code_bindings;
	/* MP9: an Interval is frequency 1 with timing-exact true. */
	int interval_timing_exact;
	/* Verzekeraar and BetalerPersoon are both Coverage.payor of one
	 * profile, told apart by what the payor points at. */
	int payors_shared;
};

size_t release_count(void);
const struct zib_release *release_at(size_t i);
/* The release written and read where nothing says otherwise (zib2020). */
const struct zib_release *release_default(void);
/* By id ("zib2017"), by FHIR version ("3.0.2", "3.0", "4.0.1"), by
 * profile url as the models list it (the one release whose profile column
 * of m lists url, NULL when none or several do).  NULL when unknown. */
const struct zib_release *release_by_id(const char *id);
const struct zib_release *release_by_fhir_version(const char *version);
/* The first release on FHIR major version major (4, 3); NULL for none. */
const struct zib_release *release_by_fhir_major(int major);
struct zib_model;
const struct zib_release *release_by_profile(const struct zib_model *m, const char *url);
/* The release whose paths serve where rel has none, or NULL. */
const struct zib_release *release_fallback(const struct zib_release *rel);
/* The release of a resource with elements the default release's FHIR
 * structure lacks: the one release of another FHIR version, or NULL. */
const struct zib_release *release_of_other_structure(void);
/* The release whose HL7 code system naming uri follows where it differs
 * from the default's ("http://hl7.org/fhir/v3/..."), or NULL. */
const struct zib_release *release_by_hl7_system(const char *uri);

#endif
