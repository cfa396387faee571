/*
 * Unit tests of lib/model/unit.c: the UCUM count-of-unit terms ("8.h") and
 * "per" units ("/(8.h)") the readers build and the writers take apart.
 */
#include <string.h>

#include "harness.h"
#include "model/unit.h"

TEST(unit_terms, count_term)
{
	char buf[32];

	ASSERT(model_ucum_count_term("1", "d", buf, sizeof(buf)));
	ASSERT_STR_EQ("d", buf);
	ASSERT(model_ucum_count_term("8", "h", buf, sizeof(buf)));
	ASSERT_STR_EQ("8.h", buf);
	ASSERT(!model_ucum_count_term("0.5", "d", buf, sizeof(buf)));   /* UCUM factors are whole */
	ASSERT(!model_ucum_count_term("", "d", buf, sizeof(buf)));
	ASSERT(!model_ucum_count_term(NULL, "d", buf, sizeof(buf)));
	ASSERT(!model_ucum_count_term("2", "mg/d", buf, sizeof(buf)));
	ASSERT(!model_ucum_count_term("2", "", buf, sizeof(buf)));
	ASSERT(!model_ucum_count_term("123456", "h", buf, 6));          /* does not fit */
}

TEST(unit_terms, per_unit)
{
	char buf[32];

	ASSERT(model_ucum_per_unit("1", "d", buf, sizeof(buf)));
	ASSERT_STR_EQ("/d", buf);
	ASSERT(model_ucum_per_unit("8", "h", buf, sizeof(buf)));
	ASSERT_STR_EQ("/(8.h)", buf);
	ASSERT(!model_ucum_per_unit("x", "h", buf, sizeof(buf)));
}

TEST(unit_terms, split_back)
{
	char count[8], unit[8];

	ASSERT(model_ucum_split_term("d", count, sizeof(count), unit, sizeof(unit)));
	ASSERT_STR_EQ("1", count);
	ASSERT_STR_EQ("d", unit);
	ASSERT(model_ucum_split_term("2.d", count, sizeof(count), unit, sizeof(unit)));
	ASSERT_STR_EQ("2", count);
	ASSERT_STR_EQ("d", unit);
	ASSERT(!model_ucum_split_term("2.", count, sizeof(count), unit, sizeof(unit)));
	ASSERT(!model_ucum_split_term("x.d", count, sizeof(count), unit, sizeof(unit)));
	ASSERT(model_ucum_split_per("/(8.h)", count, sizeof(count), unit, sizeof(unit)));
	ASSERT_STR_EQ("8", count);
	ASSERT_STR_EQ("h", unit);
	ASSERT(model_ucum_split_per("/d", count, sizeof(count), unit, sizeof(unit)));
	ASSERT_STR_EQ("1", count);
	ASSERT(!model_ucum_split_per("/8.h", count, sizeof(count), unit, sizeof(unit)));
	ASSERT(!model_ucum_split_per("/(h)", count, sizeof(count), unit, sizeof(unit)));
	ASSERT(!model_ucum_split_per("d", count, sizeof(count), unit, sizeof(unit)));
	ASSERT(!model_ucum_split_per("/(", count, sizeof(count), unit, sizeof(unit)));
}
