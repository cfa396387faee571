/*
 * Unit tests of lib/diff: value comparison per zib datatype (codes by
 * system + code, timestamps by instant and precision, quantities through
 * UCUM, strings exactly, identifiers, booleans, integers) and instance
 * matching by identity rather than by position.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "model/doc.h"
#include "model/ucum.h"
#include "model/value.h"
#include "zib.h"

static zib_ctx *ctx_load(void)
{
	zib_ctx *ctx = NULL;
	zib_error err;

	if (zib_ctx_new(&ctx, NULL, &err) != ZIB_OK)
		return NULL;
	return ctx;
}

static enum value_cmp ts(const char *a, const char *b)
{
	const char *note;
	return model_ts_compare(a, b, &note);
}

static enum value_cmp pq(const char *va, const char *ua, const char *vb, const char *ub)
{
	const char *note;
	return model_pq_compare(va, ua, vb, ub, &note);
}

TEST(diff, ts_hl7_and_iso_same_instant)
{
	ASSERT_INT_EQ(VALUE_EQUAL, ts("20200101103000+0100", "2020-01-01T10:30:00+01:00"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("2020-01-01T09:30:00Z", "2020-01-01T10:30:00+01:00"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("20200101", "2020-01-01"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("2020-01-01T10:30:00.50+01:00", "20200101103000.5+0100"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("2020-01-01T10:30:00+01:00", "2020-01-01T10:30:00+02:00"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("2020-01-01", "2020-01-02"));
}

TEST(diff, ts_precision_is_part_of_the_value)
{
	const char *note = NULL;

	ASSERT_INT_EQ(VALUE_DIFFERENT, model_ts_compare("2020-01-01", "2020-01-01T00:00:00", &note));
	ASSERT_STR_EQ("precision differs", note);
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("2020", "2020-01"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("2020-06", "202006"));
}

TEST(diff, ts_not_a_timestamp_compares_as_written)
{
	/* ADA test data writes dates relative to the test day. */
	ASSERT_INT_EQ(VALUE_EQUAL, ts("T+183D", "T+183D"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("T+183D", "T+184D"));
}

TEST(diff, ts_relative_test_dates_ada_and_fhir_fixture)
{
	char buf[64];

	/* The BgZ MSZ test patients: ADA and the Nictiz STU3 fixtures write
	 * the same day relative to the test run in two template forms. */
	ASSERT_INT_EQ(VALUE_EQUAL, ts("T-44D", "${DATE, T, D, -44}"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("T+183D", "${DATE, T, D, +183}"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("T-44D{14:22:10}", "${DATE, T, D, -44}T14:22:10+02:00"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("T-44D", "${DATE, T, D, -45}"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("T-44D", "${DATE, T, D, -44}T14:22:10+02:00"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, ts("T-44D{14:22:10}", "T-44D{14:22:11}"));
	ASSERT_INT_EQ(VALUE_EQUAL, ts("T", "${DATE, T}"));
	ASSERT_INT_EQ(0, model_ts_relative("${DATE, T, Y, -10}", buf, sizeof(buf)));
	ASSERT_STR_EQ("T-10Y", buf);
	ASSERT_INT_EQ(-1, model_ts_relative("Therapieplein", buf, sizeof(buf)));
	ASSERT_INT_EQ(-1, model_ts_relative("${NAME}", buf, sizeof(buf)));
	ASSERT_INT_EQ(-1, model_ts_relative("T-44X", buf, sizeof(buf)));
}

TEST(diff, pq_converts_ucum_units)
{
	ASSERT_INT_EQ(VALUE_EQUAL, pq("70", "kg", "70000", "g"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("180", "cm", "1.8", "m"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("1", "L", "1000", "mL"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("2", "h", "120", "min"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("1", "a", "12", "mo"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("1", "wk", "7", "d"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("37", "Cel", "310.15", "K"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("50", "%", "0.5", "1"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("60", "/min", "1", "/s"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("72", "{beats}/min", "72", "/min"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("5", "10*9/L", "5000", "10*6/L"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("25", "kg/m2", "2.5", "g/cm2"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("120", "mm[Hg]", "120.0", "mm[Hg]"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("5.0", "mmol/L", "5", "umol/mL"));
	/* Unit spellings of ADA test data. */
	ASSERT_INT_EQ(VALUE_EQUAL, pq("2400", "gram", "2.4", "kg"));
	ASSERT_INT_EQ(VALUE_EQUAL, pq("120", "mmHg", "120", "mm[Hg]"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, pq("70", "kg", "71", "kg"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, pq("70", "kg", "70", "cm"));
}

TEST(diff, pq_unknown_units_are_not_comparable)
{
	const char *note = NULL;

	ASSERT_INT_EQ(VALUE_INCOMPARABLE, model_pq_compare("3", "eenheden per dag", "3", "glazen", &note));
	ASSERT(note != NULL);
	/* Written alike, an unknown unit still compares by value. */
	ASSERT_INT_EQ(VALUE_EQUAL, pq("3", "eenheden per dag", "3.0", "eenheden per dag"));
	ASSERT_INT_EQ(VALUE_DIFFERENT, pq("3", "eenheden per dag", "4", "eenheden per dag"));
}

TEST(diff, ucum_parse_rejects_unknown)
{
	struct ucum_unit u;

	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "mg", NULL, 0));
	ASSERT(u.factor > 0.00099 && u.factor < 0.00101);
	ASSERT_INT_EQ(UCUM_EUNKNOWN, ucum_parse(&u, "grammen", NULL, 0));
	ASSERT_INT_EQ(UCUM_ESYNTAX, ucum_parse(&u, "", NULL, 0));
	/* Cel/h is a valid unit, but Cel converts only alone. */
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "Cel/h", NULL, 0));
	ASSERT(!u.convertible);
}

/* A value of concept id in model zib, for comparing. */
static struct zib_value mk(const zib_ctx *ctx, const char *zib, const char *id)
{
	struct zib_value v;
	const zib_model *m = zib_model_find(ctx, zib);

	memset(&v, 0, sizeof(v));
	v.concept = m ? zib_model_concept_find(m, id) : NULL;
	v.type = ZIB_VALUE_ST;
	return v;
}

/* A code written without its system (CDA addr/@use "HP") equals the same
 * code in the one system the concept's value set has it in (HL7
 * AddressUse), and no other; a rate and a G-Standaard unit compare as
 * what they are. */
TEST(diff, implied_code_system_and_units)
{
	zib_ctx *ctx = ctx_load();
	struct zib_value a, b;
	const char *note;

	ASSERT(ctx != NULL);
	a = mk(ctx, "Patient", "NL-CM:20.5.8");   /* AdresSoort */
	a.type = ZIB_VALUE_CD;
	b = a;
	a.code = b.code = "HP";
	b.system = "2.16.840.1.113883.5.1119";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.system = "2.16.840.1.113883.5.1008";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));

	a = mk(ctx, "MedicatieGebruik", "NL-CM:9.12.19946");   /* MaximaleDosering */
	a.type = ZIB_VALUE_PQ;
	b = a;
	a.number = "4000";
	a.unit = "mg";
	a.per = "2.d";
	b.number = "2";
	b.unit = "g";
	b.per = "d";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));      /* 4000 mg per 2 d = 2 g/d */
	b.per = "h";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	b = a;
	b.system = "2.16.840.1.113883.2.4.4.1.900.2";                       /* G-Standaard "mg", not UCUM */
	ASSERT(value_compare(ctx, &a, &b, &note) != VALUE_EQUAL);
	a.system = b.system;
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	zib_ctx_free(ctx);
}

TEST(diff, cd_system_and_code_not_display)
{
	zib_ctx *ctx = ctx_load();
	struct zib_value a, b;
	const char *note;

	ASSERT(ctx != NULL);
	a = mk(ctx, "Probleem", "NL-CM:5.1.3");
	a.type = ZIB_VALUE_CD;
	b = a;
	a.code = b.code = "267038008";
	a.system = "2.16.840.1.113883.6.96";
	b.system = "http://snomed.info/sct";
	a.display = "Oedeem";
	b.display = "Edema";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.system = "urn:oid:2.16.840.1.113883.6.96";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.system = "2.16.840.1.113883.6.1";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	b.system = a.system;
	b.code = "267038009";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	b.code = NULL;
	b.null_flavor = "UNK";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	a.null_flavor = "UNK";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	zib_ctx_free(ctx);
}

TEST(diff, stu3_code_systems_and_naming_systems)
{
	zib_ctx *ctx = ctx_load();
	char a[256], b[256];

	ASSERT(ctx != NULL);
	ASSERT_STR_EQ("2.16.840.1.113883.5.1", model_system_norm(ctx,
		"http://hl7.org/fhir/v3/AdministrativeGender", a, sizeof(a)));
	ASSERT_STR_EQ(model_system_norm(ctx, "http://terminology.hl7.org/CodeSystem/v3-ActStatus", a,
		sizeof(a)), model_system_norm(ctx, "http://hl7.org/fhir/v3/ActStatus", b, sizeof(b)));
	ASSERT_STR_EQ("2.16.840.1.113883.12.78", model_system_norm(ctx, "http://hl7.org/fhir/v2/0078",
		a, sizeof(a)));
	ASSERT_STR_EQ("2.16.840.1.113883.6.73", model_system_norm(ctx, "http://www.whocc.no/atc", a,
		sizeof(a)));
	ASSERT_STR_EQ("2.16.840.1.113883.2.4.6.4", model_system_norm(ctx,
		"http://fhir.nl/fhir/NamingSystem/uzovi", a, sizeof(a)));
	ASSERT_STR_EQ("http://example.org/x", model_system_norm(ctx, "http://example.org/x", a,
		sizeof(a)));
	zib_ctx_free(ctx);
}

TEST(diff, postcode_without_space_and_booleans_with_text)
{
	zib_ctx *ctx = ctx_load();
	struct zib_value a, b;
	const char *note;
	struct buf sa = BUF_INIT, sb = BUF_INIT;

	ASSERT(ctx != NULL);
	a = mk(ctx, "Patient", "NL-CM:20.5.6");
	a.type = ZIB_VALUE_ST;
	b = a;
	a.text = "9999 XA";
	b.text = "9999xa";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	value_signature(ctx, &a, &sa);
	value_signature(ctx, &b, &sb);
	ASSERT_STR_EQ(sa.data, sb.data);
	b.text = "9999 XB";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	buf_release(&sa);
	buf_release(&sb);

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.type = b.type = ZIB_VALUE_BL;
	a.boolean = b.boolean = 1;
	b.text = "true";   /* a reader that keeps the text as well */
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.text = "y";      /* no boolean: compared as written */
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	zib_ctx_free(ctx);
}

TEST(diff, st_ii_bl_int)
{
	zib_ctx *ctx = ctx_load();
	struct zib_value a, b;
	const char *note;

	ASSERT(ctx != NULL);
	a = mk(ctx, "Probleem", "NL-CM:5.1.5");
	b = a;
	a.text = "Oedeem";
	b.text = "Oedeem ";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	b.text = "Oedeem";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));

	a.type = b.type = ZIB_VALUE_II;
	a.code = b.code = "999901370";
	a.system = "2.16.840.1.113883.2.4.6.3";
	b.system = "urn:oid:2.16.840.1.113883.2.4.6.3";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.system = "http://fhir.nl/fhir/NamingSystem/bsn";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.code = "999901371";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.type = b.type = ZIB_VALUE_BL;
	a.boolean = b.boolean = 1;
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.boolean = 0;
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));

	a.type = b.type = ZIB_VALUE_INT;
	a.number = "7";
	b.number = "007";
	ASSERT_INT_EQ(VALUE_EQUAL, value_compare(ctx, &a, &b, &note));
	b.number = "8";
	ASSERT_INT_EQ(VALUE_DIFFERENT, value_compare(ctx, &a, &b, &note));
	zib_ctx_free(ctx);
}

/* Adds a Probleem with a name code, a start date and a comment. */
static void add_problem(struct zib_doc *doc, const char *id, const char *code, const char *date,
	const char *comment, int line)
{
	const zib_model *m = zib_model_find(doc->ctx, "Probleem");
	struct zib_instance *inst = doc_add_instance(doc, m, id, line, NULL);
	struct zib_value *v;

	v = doc_add_value(doc, inst, NULL, zib_model_concept_find(m, "NL-CM:5.1.3"), line + 1, NULL);
	v->code = code;
	v->system = "2.16.840.1.113883.6.96";
	v = doc_add_value(doc, inst, NULL, zib_model_concept_find(m, "NL-CM:5.1.6"), line + 2, NULL);
	v->text = date;
	v = doc_add_value(doc, inst, NULL, zib_model_concept_find(m, "NL-CM:5.1.5"), line + 3, NULL);
	v->text = comment;
}

TEST(diff, instances_match_by_identity_not_position)
{
	zib_ctx *ctx = ctx_load();
	struct zib_doc *a, *b;
	zib_diff *d = NULL;
	const zib_diff_item *it;
	zib_error err;

	ASSERT(ctx != NULL);
	a = doc_new(ctx, "a.xml", ZIB_FORMAT_ADA);
	b = doc_new(ctx, "b.xml", ZIB_FORMAT_FHIR_JSON);
	add_problem(a, "p1", "267038008", "2012-08-10", "first", 10);
	add_problem(a, "p2", "396275006", "2013-01-01", "second", 20);
	/* B: other order, other ids, the same instant written differently,
	 * one comment changed. */
	add_problem(b, "Condition/x", "396275006", "20130101", "second, changed", 5);
	add_problem(b, "Condition/y", "267038008", "20120810", "first", 15);
	ASSERT_INT_EQ(0, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 1, NULL, &err));
	ASSERT_INT_EQ(2, zib_diff_matched(d));
	ASSERT_INT_EQ(1, zib_diff_count(d));
	it = zib_diff_at(d, 0);
	ASSERT_INT_EQ(ZIB_DIFF_CHANGED, it->kind);
	ASSERT_STR_EQ("NL-CM:5.1.5", zib_concept_id(it->concept));
	ASSERT_STR_EQ("second", it->a_text);
	ASSERT_STR_EQ("second, changed", it->b_text);
	ASSERT_INT_EQ(23, zib_value_line(it->a));
	ASSERT_INT_EQ(8, zib_value_line(it->b));
	zib_diff_free(d);

	/* A changed key value still pairs the instance (by shared values). */
	add_problem(b, "Condition/z", "1234", "2014-01-01", "third", 30);
	add_problem(a, "p3", "1234", "2014-01-02", "third", 30);
	ASSERT_INT_EQ(0, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 1, NULL, &err));
	ASSERT_INT_EQ(2, zib_diff_count(d));
	ASSERT_STR_EQ("NL-CM:5.1.6", zib_concept_id(zib_diff_at(d, 1)->concept));
	zib_diff_free(d);
	zib_doc_free(a);
	zib_doc_free(b);
	zib_ctx_free(ctx);
}

/* Adds a Zorgaanbieder with a URA and a name. */
static void add_provider(struct zib_doc *doc, const char *ura, const char *name, int line)
{
	const zib_model *m = zib_model_find(doc->ctx, "Zorgaanbieder");
	struct zib_instance *inst = doc_add_instance(doc, m, NULL, line, NULL);
	struct zib_value *v;

	v = doc_add_value(doc, inst, NULL, zib_model_concept_find(m, "NL-CM:17.2.2"), line + 1, NULL);
	v->type = ZIB_VALUE_II;
	v->code = ura;
	v->system = "2.16.528.1.1007.3.3";
	v = doc_add_value(doc, inst, NULL, zib_model_concept_find(m, "NL-CM:17.2.3"), line + 2, NULL);
	v->type = ZIB_VALUE_ST;
	v->text = name;
}

/* One identifier on two instances of A (an example reusing another's URA
 * with other content): the one with the B instance's content pairs, not
 * the first in file order. */
TEST(diff, repeated_identifier_pairs_by_content)
{
	zib_ctx *ctx = ctx_load();
	struct zib_doc *a, *b;
	zib_diff *d = NULL;
	const zib_diff_item *it;
	zib_error err;

	ASSERT(ctx != NULL);
	a = doc_new(ctx, "a.xml", ZIB_FORMAT_ADA);
	b = doc_new(ctx, "b.xml", ZIB_FORMAT_FHIR_JSON);
	add_provider(a, "06020806", "Testziekenhuis", 10);
	add_provider(a, "06020806", "Erasmus MC", 20);
	add_provider(b, "06020806", "Erasmus MC", 5);
	ASSERT_INT_EQ(0, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 1, NULL, &err));
	ASSERT_INT_EQ(1, zib_diff_matched(d));
	ASSERT_INT_EQ(1, zib_diff_count(d));
	it = zib_diff_at(d, 0);
	ASSERT_INT_EQ(ZIB_DIFF_ONLY_A, it->kind);
	ASSERT_INT_EQ(10, zib_instance_line(it->a_instance));
	zib_diff_free(d);
	zib_doc_free(a);
	zib_doc_free(b);
	zib_ctx_free(ctx);
}

/* Pairing by shared values: a later instance sharing more with b takes
 * it from an earlier one sharing less. */
TEST(diff, most_in_common_pairs_before_file_order)
{
	zib_ctx *ctx = ctx_load();
	struct zib_doc *a, *b;
	zib_diff *d = NULL;
	const zib_diff_item *it;
	zib_error err;

	ASSERT(ctx != NULL);
	a = doc_new(ctx, "a.xml", ZIB_FORMAT_ADA);
	b = doc_new(ctx, "b.xml", ZIB_FORMAT_FHIR_JSON);
	add_problem(a, "p1", "267038008", "2012-08-10", "other", 10);
	add_problem(a, "p2", "267038008", "2012-08-11", "the same", 20);
	add_problem(b, "Condition/x", "267038008", "2012-08-12", "the same", 5);
	ASSERT_INT_EQ(0, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 1, NULL, &err));
	ASSERT_INT_EQ(1, zib_diff_matched(d));
	ASSERT_INT_EQ(2, zib_diff_count(d));
	it = zib_diff_at(d, 0);
	ASSERT_INT_EQ(ZIB_DIFF_ONLY_A, it->kind);
	ASSERT_INT_EQ(10, zib_instance_line(it->a_instance));
	zib_diff_free(d);
	zib_doc_free(a);
	zib_doc_free(b);
	zib_ctx_free(ctx);
}

TEST(diff, only_in_one_side_and_options)
{
	zib_ctx *ctx = ctx_load();
	struct zib_doc *a, *b;
	zib_diff *d = NULL;
	zib_error err;
	zib_diff_options opts = ZIB_DIFF_OPTIONS_INIT;
	const char *ignore[] = { "NL-CM:5.1.5" };
	const char *bad[] = { "NoSuchZib" };

	ASSERT(ctx != NULL);
	a = doc_new(ctx, "a.xml", ZIB_FORMAT_ADA);
	b = doc_new(ctx, "b.xml", ZIB_FORMAT_ADA);
	add_problem(a, "p1", "1", "2012-08-10", "x", 10);
	add_problem(b, "p1", "1", "2012-08-10", "y", 10);
	ASSERT_INT_EQ(0, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 0, NULL, &err));
	ASSERT_INT_EQ(1, zib_diff_count(d));
	ASSERT_INT_EQ(ZIB_DIFF_ONLY_A, zib_diff_at(d, 0)->kind);
	zib_diff_free(d);

	opts.ignore = ignore;
	opts.nignore = 1;
	ASSERT_INT_EQ(0, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 1, &opts, &err));
	ASSERT_INT_EQ(0, zib_diff_count(d));
	zib_diff_free(d);

	opts.ignore = bad;
	ASSERT_INT_EQ(ZIB_EINVAL, zib_diff_docs(&d, ctx, (const zib_doc *const *)&a, 1,
		(const zib_doc *const *)&b, 1, &opts, &err));
	ASSERT(strstr(err.message, "NoSuchZib") != NULL);
	zib_doc_free(a);
	zib_doc_free(b);
	zib_ctx_free(ctx);
}
