/*
 * Equal by meaning across formats.  Each rule is a way one format states
 * what another states differently, seen between the Nictiz examples of
 * the same data in ADA, CDA and FHIR (../shared/corpus/ada-zib2020,
 * tests/t8004-diff-ada-fhir.sh):
 *
 *  - Initialen (NL-CM:20.4.5): ADA and CDA write "J.P.M.", FHIR given with
 *    the IN qualifier "J. P. M." (a given name per initial): the letters
 *    are compared, spaces and full stops left out.
 *  - A quantity's free-text unit: ADA writes "eenheden per dag" where FHIR
 *    must give a UCUM code and writes the annotation "{eenheden per dag}".
 *  - OverlijdensIndicator (NL-CM:0.1.32): FHIR Patient.deceased[x] holds a
 *    boolean or a dateTime, not both; a DatumOverlijden says the patient
 *    died, so "true" beside the date on one side equals the date alone.
 *  - Huisnummerletter (NL-CM:20.5.11) and Huisnummertoevoeging
 *    (NL-CM:20.5.10): FHIR has one element for both (the ISO 21090
 *    buildingNumberSuffix extension, "A 2e"); letter "A" and toevoeging
 *    "2e" are the same.
 *  - A time to the minute and the same time with ":00" seconds: FHIR's
 *    dateTime must give seconds with a time (and a zone), so a CDA or ADA
 *    time to the minute (2008-06-22T23:00) comes out of a conversion as
 *    2008-06-22T23:00:00+02:00; a side without a zone is taken to be in
 *    the other side's.
 *  - OrganisatieLocatie (NL-CM:17.2.9) on one side only, holding nothing
 *    but a LocatieNaam (NL-CM:17.2.8) equal to the OrganisatieNaam
 *    (NL-CM:17.2.3) beside it: nl-core-HealthcareProvider is a Location
 *    next to the Organization, and a conversion of a Zorgaanbieder that
 *    gives no location writes one named as the organisation, which says
 *    no more than the organisation itself.
 * Dates relative to the test day (T-44D) are compared in value.c.
 */
#include <ctype.h>
#include <string.h>

#include "diff/meaning.h"
#include "model/value.h"
#include "model/timestamp.h"
#include "model/codesys.h"
#include "model/model.h"

#define INITIALEN "NL-CM:20.4.5"
#define OVERLIJDENS_INDICATOR "NL-CM:0.1.32"
#define DATUM_OVERLIJDEN "NL-CM:0.1.33"
#define HUISNUMMERLETTER "NL-CM:20.5.11"
#define HUISNUMMERTOEVOEGING "NL-CM:20.5.10"
#define ORGANISATIE_NAAM "NL-CM:17.2.3"
#define ORGANISATIE_LOCATIE "NL-CM:17.2.9"
#define LOCATIE_NAAM "NL-CM:17.2.8"

static int is(const struct zib_value *v, const char *id)
{
	return v && v->concept && strcmp(v->concept->id, id) == 0;
}

/* s and t equal with the characters in skip left out of both. */
static int equal_without(const char *s, const char *t, const char *skip)
{
	for (;;) {
		while (*s && strchr(skip, *s))
			s++;
		while (*t && strchr(skip, *t))
			t++;
		if (!*s || !*t || *s != *t)
			return *s == *t;
		s++;
		t++;
	}
}

/* "{x}" and "x": a free-text unit and its UCUM annotation. */
static int annotation_of(const char *braced, const char *plain)
{
	size_t n = strlen(plain);

	return braced[0] == '{' && strlen(braced) == n + 2 && braced[n + 1] == '}' &&
		strncmp(braced + 1, plain, n) == 0;
}

/* a to the minute, b the same with seconds 00 (the precision FHIR imposes). */
static int minutes_as_seconds(const char *a, const char *b)
{
	struct ts x, y;

	if (model_ts_parse(a, &x) < 0 || model_ts_parse(b, &y) < 0 || x.precision != 5 || y.precision != 6 ||
	    y.second != 0)
		return 0;
	if (x.has_tz && y.has_tz && x.tz_minutes != y.tz_minutes)
		return 0;
	return x.year == y.year && x.month == y.month && x.day == y.day && x.hour == y.hour &&
		x.minute == y.minute;
}

int diff_meaning_values_equal(const struct zib_value *a, const struct zib_value *b)
{
	if (!a || !b || a->ref || b->ref || a->null_flavor || b->null_flavor)
		return 0;
	if (is(a, INITIALEN) && is(b, INITIALEN) && a->text && b->text)
		return equal_without(a->text, b->text, " .");
	if (a->type == ZIB_VALUE_TS && b->type == ZIB_VALUE_TS && a->text && b->text)
		return minutes_as_seconds(a->text, b->text) || minutes_as_seconds(b->text, a->text);
	if (a->number && b->number && a->unit && b->unit && strcmp(a->number, b->number) == 0 &&
	    !a->system && !b->system)
		return annotation_of(a->unit, b->unit) || annotation_of(b->unit, a->unit);
	return 0;
}

static const struct zib_value *find(const struct zib_value *list, const char *id)
{
	for (; list; list = list->next)
		if (is(list, id))
			return list;
	return NULL;
}

/* The indicator on one side only, true, and a date of death on both. */
static int deceased_by_date(const struct zib_value *a, const struct zib_value *b)
{
	const struct zib_value *ia = find(a, OVERLIJDENS_INDICATOR), *ib = find(b, OVERLIJDENS_INDICATOR);
	const struct zib_value *only = ia ? ib ? NULL : ia : ib;

	return only && only->type == ZIB_VALUE_BL && only->boolean && !only->null_flavor &&
		find(a, DATUM_OVERLIJDEN) && find(b, DATUM_OVERLIJDEN);
}

/* Letter and toevoeging as one string, single spaces: "A 2e". */
static void suffix(const struct zib_value *list, char *out, size_t size)
{
	const struct zib_value *l = find(list, HUISNUMMERLETTER), *t = find(list, HUISNUMMERTOEVOEGING);
	size_t n = 0;
	const char *parts[2], *p;
	int i;

	parts[0] = l && l->text ? l->text : "";
	parts[1] = t && t->text ? t->text : "";
	for (i = 0; i < 2; i++)
		for (p = parts[i]; *p && n + 2 < size; p++) {
			if (isspace((unsigned char)*p)) {
				if (n && out[n - 1] != ' ')
					out[n++] = ' ';
				continue;
			}
			if (i == 1 && p == parts[1] && n && out[n - 1] != ' ')
				out[n++] = ' ';
			out[n++] = *p;
		}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Every OrganisatieLocatie in list holds only a LocatieNaam that is the
 * OrganisatieNaam of the list. */
static int location_is_the_organisation(const struct zib_value *list)
{
	const struct zib_value *name = find(list, ORGANISATIE_NAAM), *v, *c;
	int n = 0;

	if (!name || !name->text)
		return 0;
	for (v = list; v; v = v->next) {
		if (!is(v, ORGANISATIE_LOCATIE))
			continue;
		if (v->ref || v->null_flavor || !v->children)
			return 0;
		for (c = v->children; c; c = c->next)
			if (!is(c, LOCATIE_NAAM) || !c->text || c->null_flavor || strcmp(c->text, name->text) != 0)
				return 0;
		n++;
	}
	return n > 0;
}

int diff_meaning_skip_concept(const struct zib_concept *c, const struct zib_value *a,
	const struct zib_value *b)
{
	char sa[256], sb[256];

	if (!c)
		return 0;
	if (strcmp(c->id, OVERLIJDENS_INDICATOR) == 0)
		return deceased_by_date(a, b);
	if (strcmp(c->id, ORGANISATIE_LOCATIE) == 0) {
		if (!find(a, ORGANISATIE_LOCATIE) == !find(b, ORGANISATIE_LOCATIE))
			return 0;
		return location_is_the_organisation(find(a, ORGANISATIE_LOCATIE) ? a : b);
	}
	if (strcmp(c->id, HUISNUMMERLETTER) == 0 || strcmp(c->id, HUISNUMMERTOEVOEGING) == 0) {
		/* Only when the two sides split them differently: one holds a
		 * letter the other has not.  Equal splits compare as usual. */
		if (!find(a, HUISNUMMERLETTER) == !find(b, HUISNUMMERLETTER))
			return 0;
		suffix(a, sa, sizeof(sa));
		suffix(b, sb, sizeof(sb));
		return strcmp(sa, sb) == 0;
	}
	return 0;
}
