/*
 * Unit tests of lib/diff/meaning.c: values and sibling lists that the
 * formats write differently but that mean the same.
 */
#include <string.h>

#include "diff/meaning.h"
#include "harness.h"
#include "model/doc.h"
#include "model/model.h"
#include "zib.h"

/* The models, loaded once for the suite and kept (as a process would). */
static zib_ctx *models(void)
{
	static zib_ctx *ctx;
	zib_error err;

	if (!ctx)
		zib_ctx_new(&ctx, NULL, &err);
	return ctx;
}

static struct zib_value val(const char *concept, zib_value_type type)
{
	zib_ctx *ctx = models();
	struct zib_value v;

	memset(&v, 0, sizeof(v));
	v.concept = zib_concept_find(ctx, concept);
	v.type = type;
	return v;
}

TEST(meaning, initials_spaced_or_not)
{
	struct zib_value a = val("NL-CM:20.4.5", ZIB_VALUE_ST), b = a;

	ASSERT(a.concept != NULL);
	a.text = "J.P.M.";
	b.text = "J. P. M.";
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&a, &b));
	b.text = "H. A.";
	a.text = "H.A";
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&a, &b));
	b.text = "J. P.";
	a.text = "J.P.M.";
	ASSERT_INT_EQ(0, diff_meaning_values_equal(&a, &b));
}

TEST(meaning, free_text_unit_and_its_ucum_annotation)
{
	struct zib_value a = val("NL-CM:7.3.6", ZIB_VALUE_PQ), b = a;

	a.number = b.number = "3";
	a.unit = "eenheden per dag";
	b.unit = "{eenheden per dag}";
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&a, &b));
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&b, &a));
	b.number = "4";
	ASSERT_INT_EQ(0, diff_meaning_values_equal(&a, &b));
	b.number = "3";
	b.unit = "{eenheden per week}";
	ASSERT_INT_EQ(0, diff_meaning_values_equal(&a, &b));
}

TEST(meaning, deceased_indicator_beside_a_date)
{
	struct zib_value ind = val("NL-CM:0.1.32", ZIB_VALUE_BL);
	struct zib_value da = val("NL-CM:0.1.33", ZIB_VALUE_TS), db = da;

	ASSERT(ind.concept != NULL && da.concept != NULL);
	ind.boolean = 1;
	ind.next = &da;
	da.text = db.text = "2020-01-01";
	ASSERT_INT_EQ(1, diff_meaning_skip_concept(ind.concept, &ind, &db));
	ASSERT_INT_EQ(1, diff_meaning_skip_concept(ind.concept, &db, &ind));
	ind.boolean = 0;   /* "false" beside a date says something else */
	ASSERT_INT_EQ(0, diff_meaning_skip_concept(ind.concept, &ind, &db));
	ind.boolean = 1;
	ind.next = NULL;   /* no date on the indicator's side */
	ASSERT_INT_EQ(0, diff_meaning_skip_concept(ind.concept, &ind, &db));
}

TEST(meaning, house_number_letter_inside_the_suffix)
{
	struct zib_value letter = val("NL-CM:20.5.11", ZIB_VALUE_ST);
	struct zib_value ta = val("NL-CM:20.5.10", ZIB_VALUE_ST), tb = ta;

	letter.text = "A";
	letter.next = &ta;
	ta.text = "2e";
	tb.text = "A 2e";
	ASSERT_INT_EQ(1, diff_meaning_skip_concept(letter.concept, &letter, &tb));
	ASSERT_INT_EQ(1, diff_meaning_skip_concept(ta.concept, &letter, &tb));
	tb.text = "B 2e";
	ASSERT_INT_EQ(0, diff_meaning_skip_concept(ta.concept, &letter, &tb));
}

TEST(meaning, minutes_and_the_seconds_fhir_imposes)
{
	struct zib_value a = val("NL-CM:9.11.22398", ZIB_VALUE_TS), b = a;

	a.text = "2008-06-22T23:00";
	b.text = "2008-06-22T23:00:00+02:00";
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&a, &b));
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&b, &a));
	a.text = "200806222300+0200";   /* CDA, same zone */
	ASSERT_INT_EQ(1, diff_meaning_values_equal(&a, &b));
	a.text = "200806222300+0100";   /* another zone: another instant */
	ASSERT_INT_EQ(0, diff_meaning_values_equal(&a, &b));
	a.text = "2008-06-22T23:00";
	b.text = "2008-06-22T23:00:30+02:00";   /* real seconds */
	ASSERT_INT_EQ(0, diff_meaning_values_equal(&a, &b));
	b.text = "2008-06-22";
	ASSERT_INT_EQ(0, diff_meaning_values_equal(&a, &b));
}

/* nl-core-HealthcareProvider: a Location beside the Organization, named as
 * the organisation when the source gave no location of its own. */
TEST(meaning, location_named_as_the_organisation)
{
	struct zib_value na = val("NL-CM:17.2.3", ZIB_VALUE_ST), nb = na;
	struct zib_value loc = val("NL-CM:17.2.9", ZIB_VALUE_GROUP);
	struct zib_value lname = val("NL-CM:17.2.8", ZIB_VALUE_ST);
	struct zib_value lnum = val("NL-CM:17.2.10", ZIB_VALUE_ST);

	ASSERT(na.concept != NULL && loc.concept != NULL && lname.concept != NULL && lnum.concept != NULL);
	na.text = nb.text = lname.text = "St. Lucas Andreas Ziekenhuis";
	nb.next = &loc;
	loc.children = loc.last_child = &lname;
	ASSERT_INT_EQ(1, diff_meaning_skip_concept(loc.concept, &na, &nb));
	ASSERT_INT_EQ(1, diff_meaning_skip_concept(loc.concept, &nb, &na));
	lname.text = "Testlocatie";        /* a location of its own */
	ASSERT_INT_EQ(0, diff_meaning_skip_concept(loc.concept, &na, &nb));
	lname.text = na.text;
	lname.next = &lnum;                /* with a number: more than the name */
	lnum.text = "1234";
	ASSERT_INT_EQ(0, diff_meaning_skip_concept(loc.concept, &na, &nb));
	lname.next = NULL;
	na.next = &loc;                    /* on both sides: compared as usual */
	ASSERT_INT_EQ(0, diff_meaning_skip_concept(loc.concept, &na, &nb));
}
