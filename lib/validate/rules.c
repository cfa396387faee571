/*
 * Zib-level rules over a zib_doc, independent of the source format (CDA,
 * FHIR, ADA): cardinality, datatype formats, value sets and code
 * systems, BSN and identifier OIDs.  Each finding names the zib, the
 * concept and the value's source location.
 *
 * Severity follows the policy of lib/README.md: CDA, whose PQ unit is
 * UCUM by datatype and whose BgZ transaction's cardinalities we know
 * (model/strict_tables.c), gets errors for what FHIR and ADA still get
 * warnings for (ZIB-DT-008 for DT-007, ZIB-UNIT-002 for DT-006,
 * ZIB-CARD-003 for CARD-001 where the transaction requires the value).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "model/doc.h"
#include "model/naming.h"
#include "model/timestamp.h"
#include "model/ucum.h"
#include "validate/rules.h"

#define OID_BSN "2.16.840.1.113883.2.4.6.3"
/* zib Patient's Identificatienummer: the number that identifies the patient. */
#define PATIENT_IDENTIFIER "NL-CM:0.1.7"

struct vctx {
	const zib_ctx *ctx;
	const struct zib_doc *doc;
	zib_report *report;
};

static void finding(struct vctx *v, const struct zib_instance *inst, const struct zib_value *val,
	const struct zib_concept *c, const char *code, zib_severity sev, const char *expected,
	const char *actual, const char *fmt, const char *arg)
{
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.code = code;
	d.file = inst->file ? inst->file : v->doc->file;
	d.line = val ? val->line : inst->line;
	d.path = val ? val->path : inst->path;
	d.zib = inst->model->name_en;
	d.concept = c ? c->id : inst->model->root;
	d.expected = expected;
	d.actual = actual;
	zib_report_addf(v->report, &d, fmt, arg);
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Two digits at s, at most max; -1 when not two digits. */
static int two_digits(const char *s, int max)
{
	int v;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	v = (s[0] - '0') * 10 + s[1] - '0';
	return v > max ? -1 : v;
}

/* The time after 'T' of an ISO 8601 / FHIR dateTime: hh:mm[:ss[.s+]] and an
 * optional zone, Z or +-hh:mm. ISO 8601 allows leaving out the seconds and
 * Nictiz's ADA instances do ("2008-06-22T23:00"); FHIR wants seconds and a
 * zone, which is the FHIR validator's concern. */
static int iso_time(const char *s)
{
	if (two_digits(s, 23) < 0 || s[2] != ':' || two_digits(s + 3, 59) < 0)
		return 0;
	s += 5;
	if (*s == ':') {
		if (two_digits(s + 1, 60) < 0)
			return 0;
		s += 3;
	}
	if (*s == '.') {
		if (!isdigit((unsigned char)s[1]))
			return 0;
		for (s++; isdigit((unsigned char)*s); s++)
			;
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return two_digits(s + 1, 14) >= 0 && s[3] == ':' && two_digits(s + 4, 59) >= 0 && s[6] == '\0';
	return *s == '\0';
}

/* HL7 v3 TS: YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+-ZZZZ], with ranges checked.
 * FHIR sources use ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD[Thh:mm:ss...]). */
int validate_ts(const char *s, int iso)
{
	size_t n = strlen(s), digits = 0;
	int mo, d, h, mi, se;

	if (iso) {
		int y;
		if (sscanf(s, "%4d", &y) != 1 || n < 4 || !all_digits(s, 4))
			return 0;
		if (n == 4)
			return 1;
		if (s[4] != '-' || n < 7 || !all_digits(s + 5, 2) || (mo = (s[5] - '0') * 10 + s[6] - '0') < 1 || mo > 12)
			return 0;
		if (n == 7)
			return 1;
		if (s[7] != '-' || n < 10 || !all_digits(s + 8, 2) || (d = (s[8] - '0') * 10 + s[9] - '0') < 1 ||
		    d > calendar_days_in_month(y, mo))
			return 0;
		return n == 10 || (s[10] == 'T' && iso_time(s + 11));
	}
	while (digits < n && isdigit((unsigned char)s[digits]))
		digits++;
	if (digits < 4 || digits > 14 || (digits % 2) != 0)
		return 0;
	if (digits >= 6 && ((mo = (s[4] - '0') * 10 + s[5] - '0') < 1 || mo > 12))
		return 0;
	if (digits >= 8 && ((d = (s[6] - '0') * 10 + s[7] - '0') < 1 ||
	    d > calendar_days_in_month((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0', mo)))
		return 0;
	if (digits >= 10 && (h = (s[8] - '0') * 10 + s[9] - '0') > 23)
		return 0;
	if (digits >= 12 && (mi = (s[10] - '0') * 10 + s[11] - '0') > 59)
		return 0;
	if (digits >= 14 && (se = (s[12] - '0') * 10 + s[13] - '0') > 60)
		return 0;
	s += digits;
	if (*s == '.') {
		if (digits != 14 || !isdigit((unsigned char)s[1]))
			return 0;
		s++;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == '+' || *s == '-') {
		if (strlen(s) != 5 || !all_digits(s + 1, 4) || digits < 10)
			return 0;
		s += 5;
	}
	return *s == '\0';
}

int validate_decimal(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* UCUM (model/ucum.h): a form error is a syntax error (ZIB-DT-003), a
 * well-formed expression of atoms UCUM lacks an unknown unit (ZIB-DT-007). */
int validate_ucum_syntax(const char *s)
{
	struct ucum_unit u;

	return ucum_parse(&u, s, NULL, 0) != UCUM_ESYNTAX;
}

int validate_ucum_known(const char *s)
{
	return ucum_valid(s);
}

int validate_oid(const char *s)
{
	int parts = 0;

	while (*s) {
		if (!isdigit((unsigned char)*s))
			return 0;
		if (*s == '0' && isdigit((unsigned char)s[1]))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
		parts++;
		if (*s == '.' && isdigit((unsigned char)s[1]))
			s++;
		else if (*s)
			return 0;
	}
	return parts >= 2;
}

static int valid_system(const char *s, int iso)
{
	if (validate_oid(s))
		return 1;
	if (strncmp(s, "urn:oid:", 8) == 0)
		return validate_oid(s + 8);
	/* FHIR sources name systems by URI. */
	return iso && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
		strncmp(s, "urn:", 4) == 0);
}

int validate_bl(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "false") == 0;
}

int validate_int(const char *s)
{
	const char *p = s + (s[0] == '-' || s[0] == '+');

	return *p && all_digits(p, strlen(p));
}

int validate_bsn(const char *s)
{
	int sum = 0, i;

	if (strlen(s) != 9 || !all_digits(s, 9))
		return -1;
	for (i = 0; i < 8; i++)
		sum += (s[i] - '0') * (9 - i);
	sum -= s[8] - '0';
	return sum % 11 == 0 ? 0 : -2;
}

/* A test data date relative to the day a test runs: ADA's "T-44D", the
 * Nictiz FHIR fixtures' "${DATE, T, D, -44}". */
static int is_test_date(const struct zib_doc *doc, const char *s)
{
	char rel[64];
	int fhir = doc->format == ZIB_FORMAT_FHIR_JSON || doc->format == ZIB_FORMAT_FHIR_XML;

	if (doc->format != ZIB_FORMAT_ADA && !(fhir && strncmp(s, "${", 2) == 0))
		return 0;
	return model_ts_relative(s, rel, sizeof(rel)) == 0;
}

/* zib InstructionsForUse's Toedientijd is a time of day: FHIR holds it in
 * Timing.repeat.timeOfDay, a FHIR time (hh:mm:ss) without a date. */
static int is_time_of_day(const struct zib_concept *c, const char *s, int iso)
{
	return iso && strcmp(c->id, "NL-CM:9.12.19951") == 0 && iso_time(s);
}

/* 1 when unit (a known UCUM unit) is one of the zib's units, or, where
 * the zib names only a kind, converts to it (model/ucum.h). */
static int unit_fits(const struct zib_concept *c, const char *unit)
{
	struct ucum_unit u, k;

	if (c->units) {
		const char *p = c->units;
		size_t n = strlen(unit);
		while ((p = strstr(p, unit)) != NULL) {
			if ((p == c->units || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
				return 1;
			p += n;
		}
		return 0;
	}
	if (!c->unit_kind || ucum_parse(&u, unit, NULL, 0) != UCUM_OK ||
	    ucum_parse(&k, c->unit_kind, NULL, 0) != UCUM_OK)
		return 1;
	return ucum_comparable(&u, &k) == UCUM_OK;
}

static void check_quantity(struct vctx *v, const struct zib_instance *inst, const struct zib_value *val,
	const char *ucum)
{
	const struct zib_concept *c = val->concept;
	int cda = v->doc->format == ZIB_FORMAT_CDA;
	const char *want = c->units ? c->units : c->unit_kind;

	if (ucum && !validate_ucum_syntax(ucum))
		finding(v, inst, val, c, "ZIB-DT-003", ZIB_SEV_ERROR, "a UCUM unit", ucum,
			"%s: unit is not a valid UCUM expression", c->name_nl);
	else if (ucum && !validate_ucum_known(ucum) && cda)
		/* The HL7 PQ datatype's unit is UCUM: anything else is an error. */
		finding(v, inst, val, c, "ZIB-DT-008", ZIB_SEV_ERROR, "a UCUM unit", ucum,
			"%s: unit is not a UCUM unit (HL7 PQ requires UCUM)", c->name_nl);
	else if (ucum && !validate_ucum_known(ucum))
		finding(v, inst, val, c, "ZIB-DT-007", ZIB_SEV_WARNING, "a known UCUM unit", ucum,
			"%s: unit is not a known UCUM unit", c->name_nl);
	else if (!val->unit && val->number && cda && want)
		/* HL7 PQ without unit is unit 1: a count, never a weight. */
		finding(v, inst, val, c, "ZIB-UNIT-002", ZIB_SEV_ERROR, want, NULL,
			"%s: quantity without unit (HL7 reads unit 1)", c->name_nl);
	else if (!val->unit && val->number)
		finding(v, inst, val, c, "ZIB-DT-006", ZIB_SEV_WARNING, NULL, NULL,
			"%s: quantity without unit", c->name_nl);
	else if (ucum && want && cda && !unit_fits(c, ucum))
		finding(v, inst, val, c, "ZIB-UNIT-001", ZIB_SEV_ERROR, c->units ? c->units :
			c->unit_kind, ucum, c->units ? "%s: unit is not one the zib allows" :
			"%s: unit is not of the kind the zib needs", c->name_nl);
}

static void check_value(struct vctx *v, const struct zib_instance *inst, const struct zib_value *val)
{
	const struct zib_concept *c = val->concept;
	/* FHIR and ADA write ISO 8601 dates; CDA writes HL7 TS. */
	int iso = v->doc->format == ZIB_FORMAT_FHIR_JSON || v->doc->format == ZIB_FORMAT_FHIR_XML ||
		v->doc->format == ZIB_FORMAT_ADA;
	/* A unit of its own code system (G-Standaard) is no UCUM unit. */
	const char *ucum = val->system ? NULL : val->unit;

	if (!c || val->null_flavor)
		return;
	switch (val->type) {
	case ZIB_VALUE_TS:
		if (val->text && !validate_ts(val->text, iso) && !is_time_of_day(c, val->text, iso) &&
		    !is_test_date(v->doc, val->text))
			finding(v, inst, val, c, "ZIB-DT-001", ZIB_SEV_ERROR, iso ? "an ISO 8601 date/time" :
				"YYYY[MM[DD[HH[MM[SS[.S]]]]]][+-ZZZZ]", val->text,
				iso ? "%s: not a valid ISO 8601 date/time" : "%s: not a valid HL7 timestamp", c->name_nl);
		break;
	case ZIB_VALUE_PQ:
		if (val->number && !validate_decimal(val->number))
			finding(v, inst, val, c, "ZIB-DT-002", ZIB_SEV_ERROR, "a decimal number", val->number,
				"%s: quantity value is not a decimal number", c->name_nl);
		if (val->per && !validate_ucum_syntax(val->per))
			finding(v, inst, val, c, "ZIB-DT-003", ZIB_SEV_ERROR, "a UCUM unit", val->per,
				"%s: the rate's time unit is not a valid UCUM expression", c->name_nl);
		check_quantity(v, inst, val, ucum);
		break;
	case ZIB_VALUE_BL:
		if (val->text && !validate_bl(val->text))
			finding(v, inst, val, c, "ZIB-DT-004", ZIB_SEV_ERROR, "true or false", val->text,
				"%s: not a boolean", c->name_nl);
		break;
	case ZIB_VALUE_INT:
		if (val->number && !validate_int(val->number))
			finding(v, inst, val, c, "ZIB-DT-005", ZIB_SEV_ERROR, "an integer", val->number,
				"%s: not a whole number", c->name_nl);
		break;
	case ZIB_VALUE_CD: case ZIB_VALUE_CO:
		if (!val->code)
			break;
		if (val->system && !valid_system(val->system, iso)) {
			/* FHIR and ADA name systems by URI as well as by OID. */
			finding(v, inst, val, c, "ZIB-VS-003", ZIB_SEV_ERROR, iso ? "a URI or OID" : "an OID",
				val->system, iso ? "%s: code system is not a URI or OID" :
				"%s: code system is not an OID", c->name_nl);
			break;
		}
		if (!val->system) {
			/* Coded attributes (@use) and FHIR code primitives carry
			 * their system implicitly. */
			if (!iso && strstr(val->path ? val->path : "", "/@") == NULL)
				finding(v, inst, val, c, "ZIB-VS-003", ZIB_SEV_ERROR, NULL, val->code,
					"%s: code without code system", c->name_nl);
			break;
		}
		if (!zib_codesystem_uri(v->ctx, val->system) && !(iso && zib_codesystem_oid(v->ctx, val->system)))
			finding(v, inst, val, c, "ZIB-VS-002", ZIB_SEV_WARNING, NULL, val->system,
				"%s: code system not known to the zib models", c->name_nl);
		if (c->valuesets && *c->valuesets) {
			const char *p = c->valuesets;
			int enumerable = 0, found = 0;
			char first[640] = "";
			char oid[256];
			while (!found && model_valueset_list_next(&p, oid, sizeof(oid))) {
				const zib_valueset *vs = zib_valueset_find(v->ctx, oid);
				if (vs) {
					/* Every value set the code could have come from
					 * (Land: LandGBACodelijst or LandISOCodelijst). */
					size_t used = strlen(first);
					snprintf(first + used, sizeof(first) - used, "%s%s (%s)", enumerable ? " or " : "",
						zib_valueset_name(vs), oid);
					enumerable = 1;
					const char *sys = iso ? zib_codesystem_oid(v->ctx, val->system) : val->system;
					if (zib_valueset_contains(vs, sys ? sys : val->system, val->code))
						found = 1;
				}
			}
			if (enumerable && !found) {
				char actual[512];
				snprintf(actual, sizeof(actual), "%s|%s", val->system, val->code);
				finding(v, inst, val, c, "ZIB-VS-001", ZIB_SEV_ERROR, first, actual,
					"%s: code not in value set", c->name_nl);
			}
		}
		break;
	case ZIB_VALUE_II:
		if (val->system && !valid_system(val->system, iso))
			finding(v, inst, val, c, "ZIB-ID-003", ZIB_SEV_ERROR, iso ? "a URI or OID" : "an OID",
				val->system, iso ? "%s: identifier system is not a valid URI or OID" :
				"%s: identifier system is not a valid OID", c->name_nl);
		if (!val->code)
			finding(v, inst, val, c, "ZIB-ID-004", ZIB_SEV_WARNING, NULL, NULL,
				"%s: identifier without value", c->name_nl);
		if (val->system && strcmp(c->id, PATIENT_IDENTIFIER) == 0 &&
		    naming_provider_register(val->system)) {
			char why[160];
			snprintf(why, sizeof(why), "%%s: patient identifier under the %s register, "
				"which numbers care providers, not patients", naming_provider_register(val->system));
			finding(v, inst, val, c, "ZIB-ID-005", ZIB_SEV_ERROR, "a patient identifier (BSN)",
				val->system, why, c->name_nl);
		}
		if (val->code && val->system && (strcmp(val->system, OID_BSN) == 0 ||
		    strcmp(val->system, "http://fhir.nl/fhir/NamingSystem/bsn") == 0)) {
			int rc = validate_bsn(val->code);
			if (rc == -1)
				finding(v, inst, val, c, "ZIB-ID-001", ZIB_SEV_ERROR, "9 digits", val->code,
					"%s: BSN is not 9 digits", c->name_nl);
			else if (rc == -2)
				finding(v, inst, val, c, "ZIB-ID-002", ZIB_SEV_ERROR, NULL, val->code,
					"%s: BSN fails the eleven-test", c->name_nl);
		}
		break;
	default:
		break;
	}
}

/* Counts the values of each child concept of parent under one value list
 * and checks min and max. */
static void check_level(struct vctx *v, const struct zib_instance *inst, const struct zib_concept *parent,
	const struct zib_value *first, const struct zib_value *owner)
{
	const struct zib_model *m = parent->model;
	const struct zib_value *val;
	size_t i;

	for (i = parent->index + 1; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++) {
		const struct zib_concept *c = &m->concepts[i];
		const struct zib_value *last = NULL;
		int n = 0;
		char want[64], got[32];
		if (c->parent != parent)
			continue;
		for (val = first; val; val = val->next)
			if (val->concept == c) {
				n++;
				last = val;
			}
		snprintf(want, sizeof(want), c->max < 0 ? "%d..*" : "%d..%d", c->min, c->max);
		snprintf(got, sizeof(got), "%d", n);
		if (n < c->min && v->doc->format == ZIB_FORMAT_CDA && c->tx_min >= 1)
			finding(v, inst, owner, c, "ZIB-CARD-003", ZIB_SEV_ERROR, want, got,
				"%s: required by the zib and the BgZ transaction but absent", c->name_nl);
		else if (n < c->min && v->doc->format == ZIB_FORMAT_CDA && c->tx_card) {
			char why[160];
			/* The transaction relaxes the zib: a warning (README.md). */
			snprintf(why, sizeof(why), "%%s: required by the zib but absent (the BgZ "
				"transaction has %s)", c->tx_card);
			finding(v, inst, owner, c, "ZIB-CARD-001", ZIB_SEV_WARNING, want, got, why, c->name_nl);
		} else if (n < c->min)
			finding(v, inst, owner, c, "ZIB-CARD-001", ZIB_SEV_WARNING, want, got,
				"%s: required by the zib but absent", c->name_nl);
		if (c->max >= 0 && n > c->max)
			finding(v, inst, last, c, "ZIB-CARD-002", ZIB_SEV_ERROR, want, got,
				"%s: occurs more often than the zib allows", c->name_nl);
	}
	for (val = first; val; val = val->next) {
		check_value(v, inst, val);
		if (val->children && val->concept)
			check_level(v, inst, val->concept, val->children, val);
	}
}

int zib_validate_doc(const zib_ctx *ctx, const zib_doc *doc, zib_report *report)
{
	struct vctx v = { ctx, doc, report };
	const struct zib_instance *inst;

	for (inst = doc->instances; inst; inst = inst->next)
		if (inst->model->nconcepts)
			check_level(&v, inst, &inst->model->concepts[0], inst->values, NULL);
	return ZIB_OK;
}
