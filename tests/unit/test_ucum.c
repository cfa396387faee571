/*
 * Unit tests of lib/model/ucum.c: the table from ucum-essence.xml resolves,
 * expressions parse into factors and dimensions, conversions hold, and
 * errors say what and where.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "model/ucum.h"
#include "model/ucum_table.h"

static int close_to(double want, double got)
{
	return fabs(want - got) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1);
}

#define ASSERT_CONVERTS(want, value, from, to) do { double out_ = 0; char why_[256]; \
	int rc_ = ucum_convert(&out_, value, from, to, why_, sizeof(why_)); \
	if (rc_ != UCUM_OK || !close_to(want, out_)) { \
		harness_fail(__FILE__, __LINE__, "%g %s in %s: want %.12g, got %.12g (%d %s)", \
			(double)(value), from, to, (double)(want), out_, rc_, why_); return; } } while (0)

TEST(ucum, every_essence_atom_resolves)
{
	int i;
	char why[256];
	struct ucum_unit u;

	ASSERT_STR_EQ("2.0.1", ucum_version());
	ASSERT_INT_EQ(24, ucum_nprefixes);
	ASSERT_INT_EQ(UCUM_NDIM, ucum_nbases);
	ASSERT_INT_EQ(303, ucum_natoms);
	for (i = 0; i < ucum_natoms; i++)
		if (ucum_parse(&u, ucum_atoms[i].code, why, sizeof(why)) != UCUM_OK)
			harness_fail(__FILE__, __LINE__, "atom '%s' does not resolve: %s", ucum_atoms[i].code, why);
}

TEST(ucum, conversions)
{
	ASSERT_CONVERTS(70000, 70, "kg", "g");
	ASSERT_CONVERTS(1.8, 180, "cm", "m");
	ASSERT_CONVERTS(5000, 5, "10*9/L", "10*6/L");
	ASSERT_CONVERTS(5, 5, "mmol/L", "umol/mL");
	ASSERT_CONVERTS(2.5, 25, "kg/m2", "g/cm2");
	ASSERT_CONVERTS(120, 2, "h", "min");
	ASSERT_CONVERTS(12, 1, "a", "mo");
	ASSERT_CONVERTS(1, 60, "/min", "/s");
	ASSERT_CONVERTS(72, 72, "{beats}/min", "/min");
	ASSERT_CONVERTS(0.5, 50, "%", "1");
	ASSERT_CONVERTS(453.59237, 1, "[lb_av]", "g");
	ASSERT_CONVERTS(15.99864, 120, "mm[Hg]", "kPa");
	ASSERT_CONVERTS(6.0221367, 1, "mol", "10*23");
	ASSERT_CONVERTS(2, 4000, "mg/(2.d)", "g/d");
	ASSERT_CONVERTS(3, 3, "[IU]", "[iU]");
	ASSERT_CONVERTS(1000, 1, "[iU]/mL", "[iU]/L");
	/* Offset scales, alone. */
	ASSERT_CONVERTS(310.15, 37, "Cel", "K");
	ASSERT_CONVERTS(37, 98.6, "[degF]", "Cel");
	ASSERT_CONVERTS(273.15, 0, "[degRe]", "K");
}

TEST(ucum, quotients_run_left_to_right)
{
	struct ucum_unit a, b;

	/* mg/kg.h is (mg/kg).h; mg/(kg.h) is another unit. */
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&a, "mg/kg.h", NULL, 0));
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&b, "mg/(kg.h)", NULL, 0));
	ASSERT_INT_EQ(1, a.dim[1]);
	ASSERT_INT_EQ(-1, b.dim[1]);
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&a, "mg/kg/h", NULL, 0));
	ASSERT_INT_EQ(UCUM_OK, ucum_comparable(&a, &b));
}

TEST(ucum, what_does_not_convert)
{
	double out;
	char why[256];
	struct ucum_unit u;

	ASSERT_INT_EQ(UCUM_EDIMENSION, ucum_convert(&out, 70, "kg", "cm", why, sizeof(why)));
	ASSERT_STR_EQ("'kg' and 'cm' measure different things", why);
	ASSERT_INT_EQ(UCUM_EARBITRARY, ucum_convert(&out, 1, "[iU]", "[CFU]", NULL, 0));
	ASSERT_INT_EQ(UCUM_EARBITRARY, ucum_convert(&out, 1, "[iU]", "1", NULL, 0));
	/* U is the enzyme unit, umol/min: no international unit. */
	ASSERT_INT_EQ(UCUM_EDIMENSION, ucum_convert(&out, 1, "U", "[iU]", NULL, 0));
	ASSERT_CONVERTS(1, 1, "U", "umol/min");
	/* Special units: valid, but a logarithm converts to nothing and an
	 * offset scale only alone. */
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "[pH]", NULL, 0));
	ASSERT(u.special && !u.convertible);
	ASSERT_INT_EQ(UCUM_ESPECIAL, ucum_convert(&out, 7, "[pH]", "mol/L", NULL, 0));
	ASSERT_INT_EQ(UCUM_ESPECIAL, ucum_convert(&out, 1, "Cel/h", "K/h", NULL, 0));
	ASSERT_INT_EQ(UCUM_ESPECIAL, ucum_convert(&out, 1, "Cel2", "K2", NULL, 0));
	ASSERT_INT_EQ(UCUM_ESPECIAL, ucum_convert(&out, 1, "/Cel", "/K", NULL, 0));
}

TEST(ucum, errors_say_what_and_where)
{
	char why[256];
	struct ucum_unit u;
	static const char *const syntax[] = { "", "mm Hg", "mg/", ".mg", "mm[Hg", "mg]", "ml, 20 mcg",
		"{x", "mg..L", "L//d", "mg/.L", "(mg", "mg)", "m-", "m{a{b}}", "m99999",
		"10*300.10*300", NULL };
	static const char *const unknown[] = { "mcg", "STUK", "x", "kgg", "Mo", "[foo]", "kmin",
		"dagen", "grammen", NULL };
	size_t i;

	for (i = 0; syntax[i]; i++)
		if (ucum_parse(&u, syntax[i], NULL, 0) != UCUM_ESYNTAX)
			harness_fail(__FILE__, __LINE__, "'%s': want a syntax error", syntax[i]);
	for (i = 0; unknown[i]; i++)
		if (ucum_parse(&u, unknown[i], NULL, 0) != UCUM_EUNKNOWN)
			harness_fail(__FILE__, __LINE__, "'%s': want an unknown unit", unknown[i]);
	ASSERT_INT_EQ(UCUM_ESYNTAX, ucum_parse(&u, "mm Hg", why, sizeof(why)));
	ASSERT_STR_EQ("a space in a unit (at 3)", why);
	ASSERT_INT_EQ(UCUM_EUNKNOWN, ucum_parse(&u, "mg/kmin", why, sizeof(why)));
	ASSERT_STR_EQ("'min' takes no prefix (at 5)", why);
	ASSERT_INT_EQ(UCUM_EUNKNOWN, ucum_parse(&u, "mcg", why, sizeof(why)));
	ASSERT_STR_EQ("'mcg' is no UCUM unit (at 1)", why);
	ASSERT_INT_EQ(UCUM_ESYNTAX, ucum_parse(&u, "mg/(kg", why, sizeof(why)));
	ASSERT_STR_EQ("'(' without ')' (at 4)", why);
}

TEST(ucum, valid_forms)
{
	static const char *const valid[] = { "mm[Hg]", "kg/m2", "10*3/uL", "10^3/uL", "10*-3.L", "/d",
		"{glas}/wk", "%", "[in_i]", "mL/min/{1.73_m2}", "s-1", "m+2", "ug/(kg.min)", "1",
		"{eenheden per dag}", "g/(8.h){shift}", "mg{total}/d", "Cel", "[degF]", "dB", "B[SPL]",
		"[m/s2/Hz^(1/2)]", "%[slope]", "[pi].rad", "4.[pi].10*-7.N/A2", "dam", "Kibit", NULL };
	char why[256];
	struct ucum_unit u;
	size_t i;

	for (i = 0; valid[i]; i++)
		if (ucum_parse(&u, valid[i], why, sizeof(why)) != UCUM_OK)
			harness_fail(__FILE__, __LINE__, "'%s' refused: %s", valid[i], why);
	ASSERT(ucum_valid("mmol/L"));
	ASSERT(!ucum_valid("mmol/"));
}

TEST(ucum, canonical_units)
{
	char buf[64];
	struct ucum_unit u;

	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "mm[Hg]", NULL, 0));
	ASSERT_STR_EQ("m-1.s-2.g", ucum_canonical(&u, buf, sizeof(buf)));
	ASSERT(close_to(133322, u.factor));
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "%", NULL, 0));
	ASSERT_STR_EQ("1", ucum_canonical(&u, buf, sizeof(buf)));
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "[IU]/mL", NULL, 0));
	ASSERT_STR_EQ("m-3.[iU]", ucum_canonical(&u, buf, sizeof(buf)));
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "kg.m/s2", NULL, 0));
	ASSERT_STR_EQ("m.s-2.g", ucum_canonical(&u, buf, sizeof(buf)));
	ASSERT(close_to(1000, u.factor));
}

TEST(ucum, from_canonical_undoes_to_canonical)
{
	struct ucum_unit u;
	double canon, back;

	/* An offset scale: 37 Cel is 310.15 K and back. */
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "Cel", NULL, 0));
	ASSERT_INT_EQ(UCUM_OK, ucum_to_canonical(&canon, 37, &u));
	ASSERT(close_to(310.15, canon));
	ASSERT_INT_EQ(UCUM_OK, ucum_from_canonical(&back, canon, &u));
	ASSERT(close_to(37, back));
	/* A ratio unit: 1000 g is 1 kg. */
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "kg", NULL, 0));
	ASSERT_INT_EQ(UCUM_OK, ucum_from_canonical(&back, 1000, &u));
	ASSERT(close_to(1, back));
	/* A logarithm has no canonical value either way. */
	ASSERT_INT_EQ(UCUM_OK, ucum_parse(&u, "[pH]", NULL, 0));
	ASSERT_INT_EQ(UCUM_ESPECIAL, ucum_from_canonical(&back, 1, &u));
}
