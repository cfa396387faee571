/*
 * Unit tests of the zib rules (lib/validate): the datatype checks called
 * directly, and cardinality and value set membership over a small zib_doc
 * built by hand with the compiled-in models.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "model/doc.h"
#include "validate/rules.h"
#include "zib.h"

TEST(validate, ts_hl7_precisions)
{
	static const char *const good[] = { "2020", "202001", "20200131", "2020013112", "202001311259",
		"20200131125959", "20200131125959.5", "20200131125959.123", "2020013112+0100",
		"20200131125959-0500", "20200131125959.25+0200", "20201231235960", NULL };
	size_t i;

	for (i = 0; good[i]; i++) {
		if (!validate_ts(good[i], 0))
			harness_fail(__FILE__, __LINE__, "valid TS refused: %s", good[i]);
	}
}

TEST(validate, ts_hl7_bad)
{
	static const char *const bad[] = { "", "20", "202", "20201", "2020130", "20201301", "20200001",
		"20200132", "20200100", "2020013124", "202001311260", "20200131125961", "2020-01-31",
		"20200131T1200", "2020013112595", "20200131125959.", "2020013112.5", "20200131+0100",
		"2020013112+01", "2020013112+01000", "2020013112Z", "20200131 ", "abcd", NULL };
	size_t i;

	for (i = 0; bad[i]; i++) {
		if (validate_ts(bad[i], 0))
			harness_fail(__FILE__, __LINE__, "invalid TS accepted: '%s'", bad[i]);
	}
}

TEST(validate, ts_iso_for_fhir)
{
	ASSERT(validate_ts("2020", 1));
	ASSERT(validate_ts("2020-01", 1));
	ASSERT(validate_ts("2020-01-31", 1));
	ASSERT(validate_ts("2020-01-31T10:00:00+01:00", 1));
	ASSERT(!validate_ts("20200131", 1));
	ASSERT(!validate_ts("2020-13", 1));
	ASSERT(!validate_ts("2020-01-32", 1));
	ASSERT(!validate_ts("2020-01-31 10:00", 1));
}

/* Day ranges per month, leap years included, in both notations. */
TEST(validate, ts_days_in_month)
{
	ASSERT(validate_ts("2020-02-29", 1));
	ASSERT(!validate_ts("2021-02-29", 1));
	ASSERT(!validate_ts("1970-02-30", 1));
	ASSERT(!validate_ts("2021-04-31", 1));
	ASSERT(validate_ts("2000-02-29", 1));
	ASSERT(!validate_ts("1900-02-29", 1));
	ASSERT(validate_ts("20200229", 0));
	ASSERT(!validate_ts("20210229", 0));
	ASSERT(!validate_ts("20210631120000", 0));
	ASSERT(validate_ts("20211231235959", 0));
}

/* The time part of a FHIR / ADA dateTime was taken on trust after the 'T'. */
TEST(validate, ts_iso_time_part)
{
	ASSERT(validate_ts("2020-01-31T10:00:00Z", 1));
	ASSERT(validate_ts("2020-01-31T23:59:60.123-05:30", 1));
	ASSERT(validate_ts("2020-01-31T10:00:00", 1));
	ASSERT(validate_ts("2020-01-31T00:00:00+14:00", 1));
	ASSERT(!validate_ts("2020-01-31T", 1));
	ASSERT(validate_ts("2020-01-31T10:00", 1));	/* ISO 8601 reduced precision, as ADA writes it */
	ASSERT(validate_ts("2020-01-31T10:00+01:00", 1));
	ASSERT(!validate_ts("2020-01-31T10:0", 1));
	ASSERT(!validate_ts("2020-01-31T10:00:", 1));
	ASSERT(!validate_ts("2020-01-31T10", 1));
	ASSERT(!validate_ts("2020-01-31T24:00:00Z", 1));
	ASSERT(!validate_ts("2020-01-31T10:61:00Z", 1));
	ASSERT(!validate_ts("2020-01-31T10:00:00+0100", 1));
	ASSERT(!validate_ts("2020-01-31T10:00:00.Z", 1));
	ASSERT(!validate_ts("2020-01-31T10:00:00Zulu", 1));
	ASSERT(!validate_ts("2020-01-31Tgarbage", 1));
}

TEST(validate, pq_decimal)
{
	ASSERT(validate_decimal("120"));
	ASSERT(validate_decimal("-1.5"));
	ASSERT(validate_decimal("+0.25"));
	ASSERT(validate_decimal("1.5e3"));
	ASSERT(validate_decimal("1E-2"));
	ASSERT(!validate_decimal(""));
	ASSERT(!validate_decimal("1,5"));
	ASSERT(!validate_decimal(".5"));
	ASSERT(!validate_decimal("5."));
	ASSERT(!validate_decimal("1e"));
	ASSERT(!validate_decimal("12a"));
}

TEST(validate, ucum_syntax)
{
	static const char *const good[] = { "mm[Hg]", "kg", "cm", "kg/m2", "mmol/L", "10*3/uL", "/d",
		"{glas}/wk", "%", "[in_i]", "mL/min/{1.73_m2}", "m2", "s-1", "ug/(kg.min)", "1", NULL };
	static const char *const bad[] = { "", "mm Hg", "mg/", ".mg", "mm[Hg", "mg]", "ml, 20 mcg", "{x",
		"mg..L", "L//d", "mg/.L", NULL };
	size_t i;

	for (i = 0; good[i]; i++)
		if (!validate_ucum_syntax(good[i]))
			harness_fail(__FILE__, __LINE__, "valid UCUM refused: %s", good[i]);
	for (i = 0; bad[i]; i++)
		if (validate_ucum_syntax(bad[i]))
			harness_fail(__FILE__, __LINE__, "invalid UCUM accepted: '%s'", bad[i]);
}

TEST(validate, ucum_known_units)
{
	/* The units of the BgZ corpus documents, and common combinations. */
	static const char *const known[] = { "mm[Hg]", "kg", "g", "mg", "ug", "ng", "cm", "m", "mm",
		"km", "cm2", "m2", "mm2", "L/d", "mL", "nl", "mmol", "umol", "meq", "U", "[iU]", "s", "min",
		"h", "d", "wk", "mo", "a", "[in_i]", "[ft_i]", "[yd_i]", "[sin_i]", "[sft_i]", "[syd_i]",
		"[lb_av]", "[oz_av]", "[tsp_us]", "[tbs_us]", "mg/d", "g/d", "umol/mmol", "mmol/L",
		"10*3/uL", "10*9/L", "/d", "/min", "{glas}/wk", "{fraction}", "%", "kg/m2", "Cel",
		"cm[H2O]", "ug/(kg.min)", "1", "dm", "dL", NULL };
	static const char *const unknown[] = { "mmHg", "STUK", "dagen", "x", "kgg", "Mo", "mcg",
		"[foo]", "ml, 20 mcg", "kmin", NULL };
	size_t i;

	for (i = 0; known[i]; i++)
		if (!validate_ucum_known(known[i]))
			harness_fail(__FILE__, __LINE__, "known UCUM unit refused: %s", known[i]);
	for (i = 0; unknown[i]; i++)
		if (validate_ucum_known(unknown[i]))
			harness_fail(__FILE__, __LINE__, "unknown unit accepted: '%s'", unknown[i]);
}

TEST(validate, bsn_eleven_test_and_length)
{
	ASSERT_INT_EQ(0, validate_bsn("999911120"));
	ASSERT_INT_EQ(0, validate_bsn("999998286"));
	ASSERT_INT_EQ(-2, validate_bsn("999911121"));
	ASSERT_INT_EQ(-1, validate_bsn("12345678"));
	ASSERT_INT_EQ(-1, validate_bsn("1234567890"));
	ASSERT_INT_EQ(-1, validate_bsn("99991112a"));
	ASSERT_INT_EQ(-1, validate_bsn(""));
}

TEST(validate, bl_int_oid)
{
	ASSERT(validate_bl("true"));
	ASSERT(validate_bl("false"));
	ASSERT(!validate_bl("TRUE"));
	ASSERT(!validate_bl("1"));
	ASSERT(!validate_bl(""));
	ASSERT(validate_int("0"));
	ASSERT(validate_int("-12"));
	ASSERT(validate_int("+7"));
	ASSERT(!validate_int(""));
	ASSERT(!validate_int("-"));
	ASSERT(!validate_int("1.0"));
	ASSERT(!validate_int("12a"));
	ASSERT(validate_oid("2.16.840.1.113883.2.4.6.3"));
	ASSERT(!validate_oid("2"));
	ASSERT(!validate_oid("2.16.08"));
	ASSERT(!validate_oid("2.16."));
	ASSERT(!validate_oid("urn:oid:2.16"));
}

/* ---- rules over a document ---- */

static size_t count_code(const zib_report *r, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < zib_report_count(r); i++)
		if (strcmp(zib_report_at(r, i)->code, code) == 0)
			n++;
	return n;
}

/* The first finding with code (and concept, when given). */
static const zib_diag *find_concept(const zib_report *r, const char *code, const char *concept)
{
	size_t i;

	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		if (strcmp(d->code, code) == 0 && (!concept || (d->concept && strcmp(d->concept, concept) == 0)))
			return d;
	}
	return NULL;
}

static const zib_diag *find_code(const zib_report *r, const char *code)
{
	return find_concept(r, code, NULL);
}

static struct zib_value *add(struct zib_doc *doc, struct zib_instance *inst, const zib_ctx *ctx,
	const char *concept, int line)
{
	return doc_add_value(doc, inst, NULL, zib_concept_find(ctx, concept), line, "/x");
}

TEST(validate, cardinality_and_value_sets)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	zib_report *r = NULL;
	struct zib_doc *doc;
	struct zib_instance *bp;
	struct zib_value *v;
	const zib_diag *d;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	ASSERT(zib_model_find(ctx, "Bloeddruk") != NULL);
	doc = doc_new(ctx, "t.xml", ZIB_FORMAT_CDA);
	ASSERT(doc != NULL);
	bp = doc_add_instance(doc, zib_model_find(ctx, "Bloeddruk"), NULL, 1, "/bp");
	/* SystolischeBloeddruk (1..1) twice, DiastolischeBloeddruk (1..1) and
	 * BloeddrukDatumTijd (1..1) absent. */
	v = add(doc, bp, ctx, "NL-CM:12.4.2", 10);
	v->number = "120";
	v->unit = "mm[Hg]";
	v = add(doc, bp, ctx, "NL-CM:12.4.2", 11);
	v->number = "12,0";
	v->unit = "mmHg";
	/* Meetmethode: one code in its value set, one not. */
	v = add(doc, bp, ctx, "NL-CM:12.4.7", 12);
	v->code = "22762002";
	v->system = "2.16.840.1.113883.6.96";
	v = add(doc, bp, ctx, "NL-CM:12.4.7", 13);
	v->code = "1234";
	v->system = "2.16.840.1.113883.6.96";
	ASSERT_INT_EQ(ZIB_OK, zib_report_new(&r));
	ASSERT_INT_EQ(ZIB_OK, zib_validate_doc(ctx, doc, r));

	ASSERT_INT_EQ(2, count_code(r, "ZIB-CARD-001"));   /* diastolic, date/time */
	ASSERT_INT_EQ(2, count_code(r, "ZIB-CARD-002"));   /* systolic, method */
	d = find_concept(r, "ZIB-CARD-002", "NL-CM:12.4.2");
	ASSERT(d != NULL);
	ASSERT_STR_EQ("1..1", d->expected);
	ASSERT_INT_EQ(11, d->line);   /* at the surplus value */
	ASSERT(find_concept(r, "ZIB-CARD-002", "NL-CM:12.4.7") != NULL);
	ASSERT(find_concept(r, "ZIB-CARD-001", "NL-CM:12.4.3") != NULL);
	ASSERT(find_concept(r, "ZIB-CARD-001", "NL-CM:12.4.5") != NULL);
	ASSERT_STR_EQ("2", d->actual);
	ASSERT_INT_EQ(ZIB_SEV_ERROR, d->severity);
	ASSERT_INT_EQ(ZIB_SEV_WARNING, find_code(r, "ZIB-CARD-001")->severity);
	ASSERT_INT_EQ(1, count_code(r, "ZIB-VS-001"));
	d = find_code(r, "ZIB-VS-001");
	ASSERT_INT_EQ(13, d->line);
	ASSERT_STR_EQ("2.16.840.1.113883.6.96|1234", d->actual);
	ASSERT_INT_EQ(1, count_code(r, "ZIB-DT-002"));     /* 12,0 */
	/* mmHg: syntax fine, unit unknown; in CDA an error (HL7 PQ is UCUM). */
	ASSERT_INT_EQ(0, count_code(r, "ZIB-DT-007"));
	ASSERT_INT_EQ(1, count_code(r, "ZIB-DT-008"));
	ASSERT_INT_EQ(ZIB_SEV_ERROR, find_code(r, "ZIB-DT-008")->severity);
	ASSERT_INT_EQ(11, find_code(r, "ZIB-DT-008")->line);
	ASSERT_INT_EQ(0, count_code(r, "ZIB-DT-003"));
	zib_report_free(r);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* The codes of the findings on one Lichaamsgewicht whose GewichtWaarde
 * has unit (NULL: none; "-": no GewichtWaarde at all), in a document of
 * format, space-separated into buf. */
static const char *weight_codes(zib_ctx *ctx, enum zib_source_format format, const char *unit,
	char *buf, size_t size)
{
	struct zib_doc *doc = doc_new(ctx, "t.xml", format);
	struct zib_instance *w = doc_add_instance(doc, zib_model_find(ctx, "Lichaamsgewicht"), NULL, 1, "/w");
	zib_report *r = NULL;
	size_t i;

	buf[0] = '\0';
	add(doc, w, ctx, "NL-CM:12.1.4", 2)->text = format == ZIB_FORMAT_CDA ? "20200131" : "2020-01-31";
	if (!unit || strcmp(unit, "-") != 0) {
		struct zib_value *v = add(doc, w, ctx, "NL-CM:12.1.2", 3);
		v->number = "70";
		v->unit = unit;
	}
	if (zib_report_new(&r) == ZIB_OK) {
		zib_validate_doc(ctx, doc, r);
		for (i = 0; i < zib_report_count(r); i++)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? " " : "",
				zib_report_at(r, i)->code);
	}
	zib_report_free(r);
	zib_doc_free(doc);
	return buf;
}

TEST(validate, strict_units_and_transaction)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	char b[256];

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	/* CDA: HL7 PQ is UCUM, the zib's units are kg and g (units.tsv). */
	ASSERT_STR_EQ("", weight_codes(ctx, ZIB_FORMAT_CDA, "kg", b, sizeof(b)));
	ASSERT_STR_EQ("", weight_codes(ctx, ZIB_FORMAT_CDA, "g", b, sizeof(b)));
	ASSERT_STR_EQ("ZIB-DT-008", weight_codes(ctx, ZIB_FORMAT_CDA, "lb", b, sizeof(b)));
	ASSERT_STR_EQ("ZIB-UNIT-001", weight_codes(ctx, ZIB_FORMAT_CDA, "cm", b, sizeof(b)));
	ASSERT_STR_EQ("ZIB-UNIT-001", weight_codes(ctx, ZIB_FORMAT_CDA, "[lb_av]", b, sizeof(b)));
	ASSERT_STR_EQ("ZIB-UNIT-002", weight_codes(ctx, ZIB_FORMAT_CDA, NULL, b, sizeof(b)));
	/* Zib and transaction both require GewichtWaarde (bgz-transaction.tsv). */
	ASSERT_STR_EQ("ZIB-CARD-003", weight_codes(ctx, ZIB_FORMAT_CDA, "-", b, sizeof(b)));
	/* FHIR keeps its own rules: warnings, no unit list. */
	ASSERT_STR_EQ("ZIB-DT-007", weight_codes(ctx, ZIB_FORMAT_FHIR_JSON, "lb", b, sizeof(b)));
	ASSERT_STR_EQ("", weight_codes(ctx, ZIB_FORMAT_FHIR_JSON, "cm", b, sizeof(b)));
	ASSERT_STR_EQ("ZIB-DT-006", weight_codes(ctx, ZIB_FORMAT_FHIR_JSON, NULL, b, sizeof(b)));
	ASSERT_STR_EQ("ZIB-CARD-001", weight_codes(ctx, ZIB_FORMAT_FHIR_JSON, "-", b, sizeof(b)));
	zib_ctx_free(ctx);
}

TEST(validate, patient_id_register)
{
	static const struct { const char *system; int findings; } cases[] = {
		{ "2.16.840.1.113883.2.4.6.3", 0 },      /* BSN */
		{ "2.16.840.1.113883.2.4.6.1", 1 },      /* AGB */
		{ "2.16.528.1.1007.3.1", 1 },            /* UZI */
		{ "2.16.528.1.1007.3.3", 1 },            /* URA */
		{ "urn:oid:2.16.528.1.1007.3.3", 1 },
		{ "http://fhir.nl/fhir/NamingSystem/agb-z", 1 },
		{ "2.16.840.1.113883.19.5.99", 0 },      /* a local number */
	};
	zib_ctx *ctx = NULL;
	zib_error err;
	size_t i;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zib_doc *doc = doc_new(ctx, "t.xml", ZIB_FORMAT_FHIR_JSON);
		struct zib_instance *p = doc_add_instance(doc, zib_model_find(ctx, "Patient"), NULL, 1, "/p");
		struct zib_value *v = add(doc, p, ctx, "NL-CM:0.1.7", 2);
		zib_report *r = NULL;
		v->code = "999911120";
		v->system = cases[i].system;
		ASSERT_INT_EQ(ZIB_OK, zib_report_new(&r));
		zib_validate_doc(ctx, doc, r);
		ASSERT_INT_EQ(cases[i].findings, count_code(r, "ZIB-ID-005"));
		zib_report_free(r);
		zib_doc_free(doc);
	}
	zib_ctx_free(ctx);
}

/* The number of ZIB-DT-001 findings for one BloeddrukDatumTijd written as
 * ts in a document of the given source format. */
static int ts_errors(zib_ctx *ctx, enum zib_source_format format, const char *ts)
{
	struct zib_doc *doc = doc_new(ctx, "t.xml", format);
	struct zib_instance *bp = doc_add_instance(doc, zib_model_find(ctx, "Bloeddruk"), NULL, 1,
		"/bp");
	zib_report *r = NULL;
	int n;

	add(doc, bp, ctx, "NL-CM:12.4.5", 2)->text = ts;
	if (zib_report_new(&r) != ZIB_OK)
		return -1;
	zib_validate_doc(ctx, doc, r);
	n = count_code(r, "ZIB-DT-001");
	zib_report_free(r);
	zib_doc_free(doc);
	return n;
}

TEST(validate, ts_by_source_format)
{
	zib_ctx *ctx = NULL;
	zib_error err;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	/* CDA writes HL7 TS; FHIR and ADA write ISO 8601. */
	ASSERT_INT_EQ(0, ts_errors(ctx, ZIB_FORMAT_CDA, "20200131103000+0100"));
	ASSERT_INT_EQ(1, ts_errors(ctx, ZIB_FORMAT_CDA, "2020-01-31T10:30:00+01:00"));
	ASSERT_INT_EQ(0, ts_errors(ctx, ZIB_FORMAT_FHIR_XML, "2020-01-31T10:30:00+01:00"));
	ASSERT_INT_EQ(1, ts_errors(ctx, ZIB_FORMAT_FHIR_JSON, "20200131"));
	ASSERT_INT_EQ(0, ts_errors(ctx, ZIB_FORMAT_ADA, "2020-01-31"));
	ASSERT_INT_EQ(0, ts_errors(ctx, ZIB_FORMAT_ADA, "2008-06-22T10:30:00"));
	ASSERT_INT_EQ(1, ts_errors(ctx, ZIB_FORMAT_ADA, "20200131"));
	/* ADA test instances date relative to the test day. */
	ASSERT_INT_EQ(0, ts_errors(ctx, ZIB_FORMAT_ADA, "T-44D{14:22:10}"));
	ASSERT_INT_EQ(1, ts_errors(ctx, ZIB_FORMAT_CDA, "T-44D"));
	ASSERT_INT_EQ(1, ts_errors(ctx, ZIB_FORMAT_ADA, "gisteren"));
	zib_ctx_free(ctx);
}
