/*
 * The table of known releases (model/release.h) and its lookups.
 */
#include <string.h>

#include "model/model.h"
#include "model/release.h"

#define NICTIZ_SD "http://nictiz.nl/fhir/StructureDefinition/"

/* Newest first: the first row is the default. */
static const struct zib_release releases[] = {
	{
		.slot = 0, .id = "zib2020", .fhir_version = "4.0.1", .fhir_major = 4,
		.fhir_name = "FHIR R4", .label = "zib2020 (FHIR R4)",
		.path_column = "fhir_r4", .profiles_column = "fhir_r4_profiles",
		.fallback = NULL, .core_profile_prefix = "nl-core-",
		.hl7_v2_prefix = "http://terminology.hl7.org/CodeSystem/v2-",
		.hl7_v3_prefix = "http://terminology.hl7.org/CodeSystem/v3-",
		.hl7_prefix = "http://terminology.hl7.org/CodeSystem/",
		.code_spec_extension = NICTIZ_SD "ext-CodeSpecification",
		.coded_strings = 0, .fhir_code_bindings = 1, .interval_timing_exact = 1,
		.payors_shared = 0,
	},
	{
		.slot = 1, .id = "zib2017", .fhir_version = "3.0.2", .fhir_major = 3,
		.fhir_name = "FHIR STU3", .label = "zib2017 (FHIR STU3)",
		.path_column = "fhir_stu3", .profiles_column = "fhir_stu3_profiles",
		.fallback = "zib2020", .core_profile_prefix = NULL,
		.hl7_v2_prefix = "http://hl7.org/fhir/v2/",
		.hl7_v3_prefix = "http://hl7.org/fhir/v3/",
		.hl7_prefix = "http://hl7.org/fhir/",
		.code_spec_extension = NICTIZ_SD "code-specification",
		.coded_strings = 1, .fhir_code_bindings = 0, .interval_timing_exact = 0,
		.payors_shared = 1,
	},
};

#define NRELEASES (sizeof(releases) / sizeof(releases[0]))

_Static_assert(NRELEASES <= ZIB_RELEASE_MAX, "more releases than model columns");

size_t release_count(void)
{
	return NRELEASES;
}

const struct zib_release *release_at(size_t i)
{
	return i < NRELEASES ? &releases[i] : NULL;
}

const struct zib_release *release_default(void)
{
	return &releases[0];
}

const struct zib_release *release_by_id(const char *id)
{
	size_t i;

	for (i = 0; id && i < NRELEASES; i++)
		if (strcmp(releases[i].id, id) == 0)
			return &releases[i];
	return NULL;
}

/* "3.0" names 3.0.2; "3.0.2" itself; "4.0.1" R4. */
const struct zib_release *release_by_fhir_version(const char *version)
{
	size_t i, n = version ? strlen(version) : 0;

	for (i = 0; n && i < NRELEASES; i++) {
		const char *v = releases[i].fhir_version;
		if (strncmp(v, version, n) == 0 && (v[n] == '\0' || v[n] == '.'))
			return &releases[i];
	}
	return NULL;
}

const struct zib_release *release_by_fhir_major(int major)
{
	size_t i;

	for (i = 0; major && i < NRELEASES; i++)
		if (releases[i].fhir_major == major)
			return &releases[i];
	return NULL;
}

const struct zib_release *release_by_profile(const struct zib_model *m, const char *url)
{
	const struct zib_release *found = NULL;
	size_t i;

	for (i = 0; i < NRELEASES; i++) {
		if (!model_list_has(m->fhir_profiles[releases[i].slot], url))
			continue;
		if (found)
			return NULL;
		found = &releases[i];
	}
	return found;
}

const struct zib_release *release_fallback(const struct zib_release *rel)
{
	return rel && rel->fallback ? release_by_id(rel->fallback) : NULL;
}

const struct zib_release *release_of_other_structure(void)
{
	const struct zib_release *d = release_default(), *found = NULL;
	size_t i;

	for (i = 0; i < NRELEASES; i++) {
		if (strcmp(releases[i].fhir_version, d->fhir_version) == 0)
			continue;
		if (found)
			return NULL;
		found = &releases[i];
	}
	return found;
}

const struct zib_release *release_by_hl7_system(const char *uri)
{
	const struct zib_release *d = release_default();
	size_t i;

	for (i = 0; uri && i < NRELEASES; i++) {
		const struct zib_release *r = &releases[i];
		if (strcmp(r->hl7_v2_prefix, d->hl7_v2_prefix) != 0 &&
		    strncmp(uri, r->hl7_v2_prefix, strlen(r->hl7_v2_prefix)) == 0)
			return r;
		if (strcmp(r->hl7_v3_prefix, d->hl7_v3_prefix) != 0 &&
		    strncmp(uri, r->hl7_v3_prefix, strlen(r->hl7_v3_prefix)) == 0)
			return r;
	}
	return NULL;
}

const char *model_concept_fhir_column(const struct zib_concept *c, const struct zib_release *rel)
{
	return c->fhir[rel->slot];
}

const char *model_concept_fhir_paths(const struct zib_concept *c, const struct zib_release *rel)
{
	const char *own = c->fhir[rel->slot];
	const struct zib_release *fb;

	if (own && *own)
		return own;
	fb = release_fallback(rel);
	return fb ? c->fhir[fb->slot] : own;
}

const char *model_fhir_profiles(const struct zib_model *m, const struct zib_release *rel)
{
	return m->fhir_profiles[rel->slot];
}
