/*
 * Value comparison by meaning (see value.h).  Timestamps are compared as
 * instants when both carry a zone, else field by field; a different
 * precision (a date against a date-time) is a difference of its own.
 * Quantities are brought to UCUM's base units (model/ucum.h); units that
 * are no UCUM compare only when written alike.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/ucum.h"
#include "model/value.h"

enum value_cmp model_ts_compare(const char *a, const char *b, const char **note)
{
	struct ts ta, tb;

	*note = NULL;
	if (!a || !b)
		return a == b ? VALUE_EQUAL : VALUE_DIFFERENT;
	if (model_ts_parse(a, &ta) < 0 || model_ts_parse(b, &tb) < 0) {
		char ra[64], rb[64];
		if (model_ts_relative(a, ra, sizeof(ra)) == 0 && model_ts_relative(b, rb, sizeof(rb)) == 0)
			return strcmp(ra, rb) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
		return strcmp(a, b) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
	}
	if (ta.precision != tb.precision) {
		*note = "precision differs";
		return VALUE_DIFFERENT;
	}
	if (ta.precision >= 4 && ta.has_tz && tb.has_tz) {
		if (model_ts_seconds(&ta) != model_ts_seconds(&tb))
			return VALUE_DIFFERENT;
	} else if (ta.year != tb.year || ta.month != tb.month || ta.day != tb.day ||
	    ta.hour != tb.hour || ta.minute != tb.minute || ta.second != tb.second) {
		return VALUE_DIFFERENT;
	}
	return strcmp(ta.frac, tb.frac) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
}

/* ---- Quantities ---- */

/* Spellings found for UCUM units in published test data (ADA instances
 * write units as people do); read as the UCUM unit they stand for. */
static const struct { const char *alias, *ucum; } unit_aliases[] = {
	{ "gram", "g" }, { "kilogram", "kg" }, { "mmHg", "mm[Hg]" }, { "dag", "d" },
	{ "dagen", "d" }, { "week", "wk" }, { "w", "wk" }, { "jaar", "a" }, { "uur", "h" },
	{ "minuut", "min" }, { "g per week", "g/wk" }, { "liter", "L" },
};

/* unit as a UCUM unit that converts (an alias read as the unit it stands
 * for); -1 when it is none: no UCUM, or a special unit other than a lone
 * offset scale (Cel/h). */
static int quantity_unit(const char *unit, struct ucum_unit *u)
{
	size_t i;

	for (i = 0; unit && i < sizeof(unit_aliases) / sizeof(unit_aliases[0]); i++)
		if (strcmp(unit, unit_aliases[i].alias) == 0) {
			unit = unit_aliases[i].ucum;
			break;
		}
	if (!unit || ucum_parse(u, unit, NULL, 0) != UCUM_OK || (u->special && !u->convertible))
		return -1;
	return 0;
}

static int number_parse(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	*out = strtod(s, &end);
	return *end == '\0' ? 0 : -1;
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

static int near(double a, double b)
{
	double m = dabs(a) > dabs(b) ? dabs(a) : dabs(b);
	return dabs(a - b) <= 1e-9 * (m > 1 ? m : 1);
}

enum value_cmp model_pq_compare(const char *va, const char *ua, const char *vb, const char *ub,
	const char **note)
{
	double a, b, ca, cb;
	struct ucum_unit qa, qb;

	*note = NULL;
	if (number_parse(va, &a) < 0 || number_parse(vb, &b) < 0) {
		/* Not numbers: compare as written. */
		if ((va ? strcmp(va, vb ? vb : "") : vb != NULL) != 0)
			return VALUE_DIFFERENT;
		return (ua ? strcmp(ua, ub ? ub : "") : ub != NULL) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
	}
	if (!ua || !*ua)
		ua = "1";
	if (!ub || !*ub)
		ub = "1";
	if (strcmp(ua, ub) == 0)
		return near(a, b) ? VALUE_EQUAL : VALUE_DIFFERENT;
	if (quantity_unit(ua, &qa) < 0 || quantity_unit(ub, &qb) < 0) {
		*note = "units not comparable (not in the UCUM table)";
		return VALUE_INCOMPARABLE;
	}
	if (ucum_comparable(&qa, &qb) != UCUM_OK) {
		*note = "units of different dimensions";
		return VALUE_DIFFERENT;
	}
	ucum_to_canonical(&ca, a, &qa);
	ucum_to_canonical(&cb, b, &qb);
	return near(ca, cb) ? VALUE_EQUAL : VALUE_DIFFERENT;
}

/* The unit a PQ is compared by: its UCUM unit, a rate's written as one
 * ("mg/d", "mg/(2.d)"); a unit of another code system (G-Standaard) as
 * "code (system)", which is no UCUM, so it equals only itself. */
static const char *pq_unit_key(const struct zib_value *v, char *buf, size_t size)
{
	const char *unit = v->unit ? v->unit : "";

	if (v->system)
		snprintf(buf, size, "%s (%s)%s%s", unit, v->system, v->per ? " per " : "", v->per ? v->per : "");
	else if (v->per)
		snprintf(buf, size, strchr(v->per, '.') ? "%s/(%s)" : "%s/%s", unit, v->per);
	else
		return v->unit;
	return buf;
}

static enum value_cmp pq_value_compare(const struct zib_value *a, const struct zib_value *b,
	const char **note)
{
	char ka[256], kb[256];

	return model_pq_compare(a->number, pq_unit_key(a, ka, sizeof(ka)), b->number,
		pq_unit_key(b, kb, sizeof(kb)), note);
}

/* ---- Codes, identifiers, everything else ---- */

static int str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A code's system; for a code written without one (a CDA addr/@use "HP",
 * whose datatype implies HL7 AddressUse) the one its value sets give it. */
static const char *implied_system(const zib_ctx *ctx, const struct zib_value *v)
{
	if (v->system || !v->concept || v->type == ZIB_VALUE_II)
		return v->system;
	return model_concept_code_system(ctx, v->concept, v->code);
}

static enum value_cmp code_compare(const zib_ctx *ctx, const struct zib_value *a,
	const struct zib_value *b)
{
	char sa[256], sb[256];

	if (!a->code && !b->code)
		return str_eq(a->text, b->text) ? VALUE_EQUAL : VALUE_DIFFERENT;
	if (!str_eq(a->code, b->code))
		return VALUE_DIFFERENT;
	return strcmp(model_system_norm(ctx, implied_system(ctx, a), sa, sizeof(sa)),
		model_system_norm(ctx, implied_system(ctx, b), sb, sizeof(sb))) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
}

/* A boolean read as true or false (some readers keep the text too); a
 * text that is no boolean is compared as written. */
static int bl_plain(const struct zib_value *v)
{
	return !v->text || strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0;
}

/* Dutch postcodes are written "9999 XA" and "9999XA" (nl-core): one code. */
#define POSTCODE_CONCEPT "NL-CM:20.5.6"

static int is_postcode(const struct zib_value *v)
{
	return v->concept && strcmp(v->concept->id, POSTCODE_CONCEPT) == 0 && v->text;
}

static void postcode_norm(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (*s != ' ')
			out[n++] = (char)toupper((unsigned char)*s);
	out[n] = '\0';
}

enum value_cmp value_compare(const zib_ctx *ctx, const struct zib_value *a,
	const struct zib_value *b, const char **note)
{
	*note = NULL;
	if (a->null_flavor || b->null_flavor)
		return str_eq(a->null_flavor, b->null_flavor) ? VALUE_EQUAL : VALUE_DIFFERENT;
	if (is_postcode(a) && is_postcode(b)) {
		char pa[64], pb[64];
		postcode_norm(a->text, pa, sizeof(pa));
		postcode_norm(b->text, pb, sizeof(pb));
		return strcmp(pa, pb) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
	}
	switch (a->type) {
	case ZIB_VALUE_CD:
	case ZIB_VALUE_CO:
		return code_compare(ctx, a, b);
	case ZIB_VALUE_II:
		return code_compare(ctx, a, b);
	case ZIB_VALUE_TS:
		return model_ts_compare(a->text, b->text, note);
	case ZIB_VALUE_PQ:
		return pq_value_compare(a, b, note);
	case ZIB_VALUE_BL:
		if (!bl_plain(a) || !bl_plain(b))
			return str_eq(a->text, b->text) ? VALUE_EQUAL : VALUE_DIFFERENT;
		return a->boolean == b->boolean ? VALUE_EQUAL : VALUE_DIFFERENT;
	case ZIB_VALUE_INT:
		if (a->number && b->number) {
			char *ea, *eb;
			long long ia = strtoll(a->number, &ea, 10), ib = strtoll(b->number, &eb, 10);
			if (!*ea && !*eb)
				return ia == ib ? VALUE_EQUAL : VALUE_DIFFERENT;
			return str_eq(a->number, b->number) ? VALUE_EQUAL : VALUE_DIFFERENT;
		}
		return a->integer == b->integer ? VALUE_EQUAL : VALUE_DIFFERENT;
	case ZIB_VALUE_ANY:
		if (a->code || b->code)
			return code_compare(ctx, a, b);
		if (a->unit || b->unit)
			return pq_value_compare(a, b, note);
		return str_eq(a->text, b->text) ? VALUE_EQUAL : VALUE_DIFFERENT;
	default:
		return str_eq(a->text, b->text) ? VALUE_EQUAL : VALUE_DIFFERENT;
	}
}

void value_signature(const zib_ctx *ctx, const struct zib_value *v, struct buf *out)
{
	char s[256];
	const char *unit;
	char cs[128];
	struct ts t;
	struct ucum_unit q;
	double n, canon;

	if (v->null_flavor) {
		buf_printf(out, "NF|%s", v->null_flavor);
		return;
	}
	if (is_postcode(v)) {
		postcode_norm(v->text, s, sizeof(s));
		buf_printf(out, "T|%s", s);
		return;
	}
	switch (v->type) {
	case ZIB_VALUE_CD:
	case ZIB_VALUE_CO:
	case ZIB_VALUE_II:
		if (v->code)
			buf_printf(out, "C|%s|%s", model_system_norm(ctx, implied_system(ctx, v), s, sizeof(s)), v->code);
		else
			buf_printf(out, "T|%s", v->text ? v->text : "");
		break;
	case ZIB_VALUE_TS:
		if (v->text && model_ts_parse(v->text, &t) == 0) {
			if (t.precision >= 4 && !t.has_tz) {
				/* Dutch local time, as the FHIR writer gives it a zone:
				 * 14:00 and 14:00+01:00 sign alike in winter. */
				t.tz_minutes = timestamp_dutch_offset(t.year, t.month, t.day, t.hour);
				t.has_tz = 1;
			}
			if (t.precision >= 4 && t.has_tz) {
				/* The instant in UTC, so equal instants sign alike. */
				long long secs = model_ts_seconds(&t);
				buf_printf(out, "TS|%d|%lld|%s", t.precision, secs, t.frac);
			} else {
				buf_printf(out, "TS|%d|%04d%02d%02d%02d%02d%02d|%s", t.precision, t.year,
					t.month, t.day, t.hour, t.minute, t.second, t.frac);
			}
		} else if (model_ts_relative(v->text, s, sizeof(s)) == 0) {
			buf_printf(out, "TR|%s", s);
		} else {
			buf_printf(out, "T|%s", v->text ? v->text : "");
		}
		break;
	case ZIB_VALUE_PQ:
		unit = pq_unit_key(v, s, sizeof(s));
		if (number_parse(v->number, &n) == 0 && unit && quantity_unit(unit, &q) == 0 &&
		    ucum_to_canonical(&canon, n, &q) == UCUM_OK)
			buf_printf(out, "PQ|%s|%.9g", ucum_canonical(&q, cs, sizeof(cs)), canon);
		else if (number_parse(v->number, &n) == 0)
			buf_printf(out, "PQ|%s|%.9g", unit ? unit : "1", n);
		else
			buf_printf(out, "PQ|%s|%s", unit ? unit : "", v->number ? v->number : "");
		break;
	case ZIB_VALUE_BL:
		buf_printf(out, "BL|%s", !bl_plain(v) ? v->text : v->boolean ? "true" : "false");
		break;
	case ZIB_VALUE_INT:
		buf_printf(out, "INT|%s", v->number ? v->number : "");
		break;
	case ZIB_VALUE_ANY:
		if (v->code)
			buf_printf(out, "C|%s|%s", model_system_norm(ctx, v->system, s, sizeof(s)), v->code);
		else if (v->unit)
			buf_printf(out, "PQ|%s|%s", v->unit, v->number ? v->number : "");
		else
			buf_printf(out, "T|%s", v->text ? v->text : "");
		break;
	default:
		buf_printf(out, "T|%s", v->text ? v->text : "");
		break;
	}
}

void value_render(const struct zib_value *v, struct buf *out)
{
	size_t start = out->len;

	if (v->null_flavor) {
		buf_printf(out, "nullFlavor=%s", v->null_flavor);
		return;
	}
	if (v->ref) {
		buf_printf(out, "-> %s", v->ref);
		return;
	}
	switch (v->type) {
	case ZIB_VALUE_CD:
	case ZIB_VALUE_CO:
	case ZIB_VALUE_ANY:
		if (v->code) {
			buf_puts(out, v->code);
			if (v->system)
				buf_printf(out, " (%s)", v->system);
			if (v->display)
				buf_printf(out, " \"%s\"", v->display);
			if (v->text)
				buf_printf(out, " originalText \"%s\"", v->text);
			break;
		}
		if (v->unit) {
			buf_printf(out, "%s %s", v->number ? v->number : "", v->unit);
			break;
		}
		if (v->text)
			buf_puts(out, v->text);
		break;
	case ZIB_VALUE_II:
		buf_puts(out, v->code ? v->code : "");
		if (v->system)
			buf_printf(out, " (%s)", v->system);
		break;
	case ZIB_VALUE_PQ:
		buf_puts(out, v->number ? v->number : "");
		if (v->unit)
			buf_printf(out, " %s", v->unit);
		if (v->system)
			buf_printf(out, " (%s)", v->system);
		if (v->display)
			buf_printf(out, " \"%s\"", v->display);
		if (v->per)
			buf_printf(out, " per %s", v->per);
		break;
	case ZIB_VALUE_BL:
		buf_puts(out, v->text ? v->text : v->boolean ? "true" : "false");
		break;
	case ZIB_VALUE_INT:
		if (v->number)
			buf_puts(out, v->number);
		else
			buf_printf(out, "%lld", v->integer);
		break;
	default:
		if (v->text)
			buf_puts(out, v->text);
		break;
	}
	if (out->len == start)
		buf_puts(out, "(empty)");
}
