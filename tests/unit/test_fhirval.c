/*
 * The FHIR validator's primitive formats (lib/fhirval/prim.c) and the core
 * value set lookups (lib/fhirval/core.c).
 */
#include <string.h>

#include "fhirval/core.h"
#include "fhirval/fhirval.h"
#include "harness.h"

static int valid(const char *type, const char *s)
{
	return fv_prim_valid(type, s, strlen(s));
}

TEST(fhirval, dates_are_real_calendar_dates)
{
	ASSERT(valid("date", "2020"));
	ASSERT(valid("date", "2020-02"));
	ASSERT(valid("date", "2020-02-29"));
	ASSERT(!valid("date", "2021-02-29"));
	ASSERT(!valid("date", "1900-02-29"));
	ASSERT(valid("date", "2000-02-29"));
	ASSERT(!valid("date", "2021-04-31"));
	ASSERT(!valid("date", "2021-13-01"));
	ASSERT(!valid("date", "0000"));
	ASSERT(!valid("date", "20210101"));
	ASSERT(!valid("date", "2021-01-01T10:00:00Z"));
}

TEST(fhirval, date_times_need_a_zone_with_a_time)
{
	ASSERT(valid("dateTime", "2021-06-01"));
	ASSERT(valid("dateTime", "2021-06-01T09:30:00+02:00"));
	ASSERT(valid("dateTime", "2021-06-01T09:30:00.123Z"));
	ASSERT(!valid("dateTime", "2021-06-01T09:30:00"));
	ASSERT(!valid("dateTime", "2021-06-01T9:30:00Z"));
	ASSERT(!valid("dateTime", "2021-06-01T24:00:00Z"));
	ASSERT(!valid("dateTime", "2021-06-01T10:00:00+15:00"));
	ASSERT(valid("dateTime", "2021-06-01T10:00:00+14:00"));
	ASSERT(!valid("instant", "2021-06-01"));
	ASSERT(valid("instant", "2021-06-01T10:00:00Z"));
	ASSERT(valid("time", "23:59:60"));
	ASSERT(!valid("time", "24:00:00"));
}

TEST(fhirval, other_formats)
{
	ASSERT(valid("id", "a-B.9"));
	ASSERT(!valid("id", "a b"));
	ASSERT(!valid("id", "1234567890123456789012345678901234567890123456789012345678901234X"));
	ASSERT(valid("oid", "urn:oid:2.16.840.1.113883"));
	ASSERT(!valid("oid", "urn:oid:3.1"));
	ASSERT(!valid("oid", "urn:oid:1.02"));
	ASSERT(!valid("oid", "2.16.840"));
	ASSERT(valid("uuid", "urn:uuid:2b1f6c1e-1d44-4a51-9d0e-4f3c2b7a0001"));
	ASSERT(!valid("uuid", "urn:uuid:2B1F6C1E-1D44-4A51-9D0E-4F3C2B7A0001"));
	ASSERT(!valid("uri", "SNOMED CT"));
	ASSERT(valid("code", "a b"));
	ASSERT(!valid("code", "a  b"));
	ASSERT(!valid("code", " a"));
	ASSERT(valid("base64Binary", "e30="));
	ASSERT(!valid("base64Binary", "e30"));
	ASSERT(!valid("base64Binary", "e3.="));
	ASSERT(valid("positiveInt", "1"));
	ASSERT(!valid("positiveInt", "0"));
	ASSERT(!valid("unsignedInt", "01"));
}

TEST(fhirval, core_rules_and_value_sets)
{
	const struct fv_rule *r = fv_rule_find("Patient", "gender");
	const struct fv_valueset *vs;

	ASSERT(r != NULL);
	ASSERT_INT_EQ(FV_BIND_REQUIRED, r->strength);
	vs = &fv_core_valuesets[r->valueset];
	ASSERT(fv_valueset_has(vs, NULL, "female"));
	ASSERT(fv_valueset_has(vs, "http://hl7.org/fhir/administrative-gender", "unknown"));
	ASSERT(!fv_valueset_has(vs, NULL, "onbekend"));
	r = fv_rule_find("Observation", "status");
	ASSERT(r != NULL && r->min == 1);
	r = fv_rule_find("Observation", "subject");
	ASSERT(r != NULL && r->targets != NULL && strstr(r->targets, "Patient") != NULL);
}
