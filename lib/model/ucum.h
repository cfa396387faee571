/*
 * UCUM, the Unified Code for Units of Measure (unitsofmeasure.org): the
 * one unit table of libzib and a parser for any UCUM expression.
 *
 * The table is ucum-essence.xml, transcribed by tools/gen-ucum.py into
 * lib/model/ucum_essence.c (committed; `make regen-ucum` redoes it): 24
 * prefixes, 7 base units, 303 unit atoms.  Every atom's definition is
 * resolved into a factor and a dimension by this same parser, once per
 * process, on first use; after that every call is thread-safe.
 *
 * An expression is the case-sensitive form (c/s) UCUM defines:
 *
 *   kg  mg/dL  10*9/L  mm[Hg]  /min  {beats}/min  kg/m2  s-1
 *   ug/(kg.min)  mL/min/{1.73_m2}  Cel  [degF]  [iU]/mL  mg/(2.d)
 *
 * products '.', quotients '/' (left to right: a/b.c is (a/b).c), integer
 * exponents (m2, s-1, 10*-3), whole-number factors, parentheses,
 * annotations {..} (printable ASCII, spaces too; they mean nothing but "1"
 * where they stand alone),
 * and prefixes on the atoms UCUM calls metric (kmin is no unit).
 *
 * Three kinds of atom need care in conversion:
 * - special units are scales, not multiples, of their unit: Cel, [degF]
 *   and [degRe] are offset scales of K and convert when the expression is
 *   that unit alone (37 Cel = 310.15 K); the others ([pH], B, Np,
 *   [p'diop], %[slope], [hp'_X]...) are logarithms or tangents and convert
 *   to nothing.  They are valid units all the same.
 * - arbitrary units ([iU], [arb'U], [CFU]...) convert only to the same
 *   arbitrary unit ([IU] is 1 [iU]), with their prefixes.
 * - mol is a number (6.0221367e23), so mmol/L and 10*20/L compare.
 *
 * Beside this: model/unit.h builds and splits the count terms the zib
 * model writes for periods ("8.h", "/(8.h)").
 */
#ifndef ZIB_MODEL_UCUM_H
#define ZIB_MODEL_UCUM_H

#include <stddef.h>

/* Dimensions: exponents of UCUM's base units m, s, g, rad, K, C, cd, in
 * that order (the order of ucum-essence.xml). */
#define UCUM_NDIM 7

enum ucum_status {
	UCUM_OK = 0,
	UCUM_ESYNTAX = -1,     /* not a UCUM expression: "", "mm Hg", "mg/", "mg..L" */
	UCUM_EUNKNOWN = -2,    /* well-formed, but an atom UCUM lacks, or a prefix
	                        * on one that takes none: "mcg", "[foo]", "kmin" */
	UCUM_ESPECIAL = -3,    /* conversion: a special unit that does not convert
	                        * ([pH], or Cel inside a product: Cel/h) */
	UCUM_EDIMENSION = -4,  /* conversion: units of different dimensions (kg, cm) */
	UCUM_EARBITRARY = -5   /* conversion: different arbitrary units ([iU], [CFU]) */
};

/* A parsed expression.  For a plain (ratio) unit, 1 of it is factor times
 * the canonical unit, the product of the base units raised to dim. */
struct ucum_unit {
	double factor;
	int dim[UCUM_NDIM];
	/* For a lone offset scale (Cel, [degF], [degRe], with a prefix where
	 * metric): value in canonical units = value * factor + offset. */
	double offset;
	/* The special atom the expression holds ("Cel", "[pH]"), else NULL;
	 * convertible tells whether it converts (a lone offset scale). */
	const char *special;
	int convertible;
	/* The arbitrary unit counted ("[iU]" for [IU] too) and its exponent,
	 * NULL and 0 when none; "*" when it mixes several. */
	const char *arbitrary;
	int arbitrary_exp;
};

/*
 * Parses expr into *out.  UCUM_OK, UCUM_ESYNTAX or UCUM_EUNKNOWN; why
 * (when not NULL) then says what is wrong and where, as a finding would:
 * "'mcg' is no UCUM unit (at 1)", "'min' takes no prefix (at 1)".
 */
int ucum_parse(struct ucum_unit *out, const char *expr, char *why, size_t why_size);

/* 1 when expr is a valid UCUM expression of known units, else 0. */
int ucum_valid(const char *expr);

/*
 * Converts value in unit from to unit to: ucum_convert(&g, 70, "kg", "g")
 * sets g to 70000.  UCUM_OK, or the status of the first unit that fails
 * to parse, UCUM_ESPECIAL, UCUM_EDIMENSION or UCUM_EARBITRARY; why as for
 * ucum_parse.
 */
int ucum_convert(double *out, double value, const char *from, const char *to,
	char *why, size_t why_size);

/* Value in a's canonical unit: value * factor + offset.  UCUM_ESPECIAL
 * for a special unit that does not convert. */
int ucum_to_canonical(double *out, double value, const struct ucum_unit *u);

/* The inverse: a value in u's canonical unit as a value in u, (value -
 * offset) / factor, so that a comparison can answer in the unit its
 * operand was written in.  UCUM_ESPECIAL as for ucum_to_canonical. */
int ucum_from_canonical(double *out, double value, const struct ucum_unit *u);

/* UCUM_OK when quantities in a and b convert into each other, else
 * UCUM_ESPECIAL, UCUM_EDIMENSION or UCUM_EARBITRARY. */
int ucum_comparable(const struct ucum_unit *a, const struct ucum_unit *b);

/*
 * The canonical unit of u, the base units with their exponents in base
 * order: "m-1.s-2.g" for mm[Hg], "1" for a dimensionless unit; an
 * arbitrary unit is written after them ("m-3.[iU]").  Truncated to size;
 * returns buf.
 */
const char *ucum_canonical(const struct ucum_unit *u, char *buf, size_t size);

/* The UCUM version of the table: "2.0.1". */
const char *ucum_version(void);

#endif
