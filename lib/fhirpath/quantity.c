/*
 * quantity: FHIRPath quantities compared and converted through
 * lib/model/ucum, the one UCUM table of libzib.
 *
 * What is FHIRPath's own and stays here are the spec's rules for calendar
 * durations (FHIRPath N1 §Quantity, "Time-valued quantities"): the words
 * year, month, week, day, hour, minute, second, millisecond (and plurals)
 * are calendar units, written unquoted (4 days).  Week and below equal
 * their UCUM units ('wk', 'd', 'h', 'min', 's', 'ms'); a calendar year or
 * month is no fixed number of seconds, so it does not compare with UCUM
 * 'a' (365.25 days) or 'mo' (a twelfth of that) at all.
 */
#include <math.h>
#include <string.h>

#include "fhirpath/fp_int.h"

/* The calendar words and the UCUM unit each maps to.  Not a unit table:
 * the spec's list of keywords, with their singular and plural forms. */
static const struct { const char *word; const char *ucum; } calendar[] = {
	{ "year", "a" }, { "years", "a" }, { "month", "mo" }, { "months", "mo" },
	{ "week", "wk" }, { "weeks", "wk" }, { "day", "d" }, { "days", "d" },
	{ "hour", "h" }, { "hours", "h" }, { "minute", "min" }, { "minutes", "min" },
	{ "second", "s" }, { "seconds", "s" }, { "millisecond", "ms" },
	{ "milliseconds", "ms" },
};

const char *fp_calendar_ucum(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(calendar) / sizeof(calendar[0]); i++)
		if (strcmp(calendar[i].word, word) == 0)
			return calendar[i].ucum;
	return NULL;
}

int fp_qty_canon(const fp_val *q, double *value, struct ucum_unit *u)
{
	const char *unit = q->s && *q->s ? q->s : "1";

	if (q->calendar)
		unit = fp_calendar_ucum(q->s);
	if (!unit || ucum_parse(u, unit, NULL, 0) != UCUM_OK)
		return -1;
	return ucum_to_canonical(value, q->d, u) == UCUM_OK ? 0 : -1;
}

int fp_units_comparable(const struct ucum_unit *a, const struct ucum_unit *b)
{
	return ucum_comparable(a, b) == UCUM_OK;
}

int fp_qty_big_unit(const fp_val *q)
{
	const char *u = q->calendar ? fp_calendar_ucum(q->s) : q->s;

	if (!u)
		return 0;
	if (strcmp(u, "a") == 0)
		return q->calendar ? 1 : 2;
	if (strcmp(u, "mo") == 0)
		return q->calendar ? 3 : 4;
	return 0;
}

int fp_qty_compare(const fp_val *a, const fp_val *b)
{
	double va, vb;
	struct ucum_unit ua, ub;
	int ba = fp_qty_big_unit(a), bb = fp_qty_big_unit(b);

	if ((ba || bb) && ba != bb)
		return 2;
	if (fp_qty_canon(a, &va, &ua) != 0 || fp_qty_canon(b, &vb, &ub) != 0 ||
		!fp_units_comparable(&ua, &ub))
		return 2;
	if (fabs(va - vb) <= 1e-9 * fmax(1.0, fmax(fabs(va), fabs(vb))))
		return 0;
	return va < vb ? -1 : 1;
}
