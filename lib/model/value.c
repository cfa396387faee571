/*
 * Value comparison by meaning (see value.h).  Timestamps are compared as
 * instants when both carry a zone, else field by field; a different
 * precision (a date against a date-time) is a difference of its own.
 * Quantities are brought to base units with a small UCUM table covering
 * the units of the BgZ; units outside it compare only when written alike.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/value.h"

enum value_cmp ts_compare(const char *a, const char *b, const char **note)
{
	struct ts ta, tb;

	*note = NULL;
	if (!a || !b)
		return a == b ? VALUE_EQUAL : VALUE_DIFFERENT;
	if (ts_parse(a, &ta) < 0 || ts_parse(b, &tb) < 0) {
		char ra[64], rb[64];
		if (ts_relative(a, ra, sizeof(ra)) == 0 && ts_relative(b, rb, sizeof(rb)) == 0)
			return strcmp(ra, rb) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
		return strcmp(a, b) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
	}
	if (ta.precision != tb.precision) {
		*note = "precision differs";
		return VALUE_DIFFERENT;
	}
	if (ta.precision >= 4 && ta.has_tz && tb.has_tz) {
		if (ts_seconds(&ta) != ts_seconds(&tb))
			return VALUE_DIFFERENT;
	} else if (ta.year != tb.year || ta.month != tb.month || ta.day != tb.day ||
	    ta.hour != tb.hour || ta.minute != tb.minute || ta.second != tb.second) {
		return VALUE_DIFFERENT;
	}
	return strcmp(ta.frac, tb.frac) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
}

/* ---- UCUM ---- */

/* x to an integer power (libm is not linked; exponents here are small). */
static double ipow(double x, long n)
{
	double r = 1;
	long i;

	for (i = 0; i < (n < 0 ? -n : n) && i < 400; i++)
		r *= x;
	return n < 0 ? 1 / r : r;
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

/* Dimension vectors: exponents of g, m, s, K, mol and of a count of things
 * (international units). */

struct ucum_atom {
	const char *sym;
	double factor;
	int dim[6];
	int metric;       /* takes prefixes */
};

static const struct ucum_atom atoms[] = {
	{ "g", 1, { 1, 0, 0, 0, 0, 0 }, 1 },
	{ "m", 1, { 0, 1, 0, 0, 0, 0 }, 1 },
	{ "s", 1, { 0, 0, 1, 0, 0, 0 }, 1 },
	{ "K", 1, { 0, 0, 0, 1, 0, 0 }, 1 },
	{ "mol", 1, { 0, 0, 0, 0, 1, 0 }, 1 },
	{ "L", 0.001, { 0, 3, 0, 0, 0, 0 }, 1 },
	{ "l", 0.001, { 0, 3, 0, 0, 0, 0 }, 1 },
	{ "Pa", 1000, { 1, -1, -2, 0, 0, 0 }, 1 },
	{ "bar", 1e8, { 1, -1, -2, 0, 0, 0 }, 1 },
	{ "min", 60, { 0, 0, 1, 0, 0, 0 }, 0 },
	{ "h", 3600, { 0, 0, 1, 0, 0, 0 }, 0 },
	{ "d", 86400, { 0, 0, 1, 0, 0, 0 }, 0 },
	{ "wk", 604800, { 0, 0, 1, 0, 0, 0 }, 0 },
	{ "mo", 2629800, { 0, 0, 1, 0, 0, 0 }, 0 },
	{ "a", 31557600, { 0, 0, 1, 0, 0, 0 }, 0 },
	{ "mm[Hg]", 133322.387415, { 1, -1, -2, 0, 0, 0 }, 0 },
	{ "cm[H2O]", 98066.5, { 1, -1, -2, 0, 0, 0 }, 0 },
	{ "Cel", 1, { 0, 0, 0, 1, 0, 0 }, 0 },
	{ "%", 0.01, { 0, 0, 0, 0, 0, 0 }, 0 },
	{ "[lb_av]", 453.59237, { 1, 0, 0, 0, 0, 0 }, 0 },
	{ "[oz_av]", 28.349523125, { 1, 0, 0, 0, 0, 0 }, 0 },
	{ "[in_i]", 0.0254, { 0, 1, 0, 0, 0, 0 }, 0 },
	{ "[ft_i]", 0.3048, { 0, 1, 0, 0, 0, 0 }, 0 },
	{ "[iU]", 1, { 0, 0, 0, 0, 0, 1 }, 1 },
	{ "[IU]", 1, { 0, 0, 0, 0, 0, 1 }, 1 },
	{ "U", 1, { 0, 0, 0, 0, 0, 1 }, 1 },
	{ "eq", 1, { 0, 0, 0, 0, 1, 0 }, 1 },
	{ "1", 1, { 0, 0, 0, 0, 0, 0 }, 0 },
};

static const struct { const char *sym; double factor; } prefixes[] = {
	{ "k", 1e3 }, { "h", 1e2 }, { "da", 1e1 }, { "d", 1e-1 }, { "c", 1e-2 },
	{ "m", 1e-3 }, { "u", 1e-6 }, { "n", 1e-9 }, { "p", 1e-12 }, { "f", 1e-15 },
};

static const struct ucum_atom *atom_find(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(atoms) / sizeof(atoms[0]); i++)
		if (strlen(atoms[i].sym) == n && strncmp(atoms[i].sym, s, n) == 0)
			return &atoms[i];
	return NULL;
}

/* One unit term without operators: [prefix]atom[exponent], 10*N, {annot}. */
static int term_parse(const char *s, size_t n, double *factor, int dim[6], int *cel)
{
	const struct ucum_atom *a;
	size_t i, end = n;
	int exp = 1, k;
	double f = 1;

	/* An annotation alone counts things; after a unit it is ignored. */
	if (n && s[n - 1] == '}') {
		const char *open = memchr(s, '{', n);
		if (!open)
			return -1;
		n = (size_t)(open - s);
		if (n == 0)
			return 0;   /* {beats}: a dimensionless count */
		end = n;
	}
	if (n > 3 && (strncmp(s, "10*", 3) == 0 || strncmp(s, "10^", 3) == 0)) {
		char *e;
		long p = strtol(s + 3, &e, 10);
		if ((size_t)(e - s) != n)
			return -1;
		*factor *= ipow(10, p);
		return 0;
	}
	/* A trailing signed integer is the exponent (m2, s-1), unless it is "1". */
	i = end;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i > 0 && s[i - 1] == '-' && i < end)
		i--;
	if (i > 0 && i < end) {
		exp = atoi(s + i);
		end = i;
	}
	a = atom_find(s, end);
	if (!a) {
		for (k = 0; k < (int)(sizeof(prefixes) / sizeof(prefixes[0])); k++) {
			size_t pl = strlen(prefixes[k].sym);
			if (pl < end && strncmp(s, prefixes[k].sym, pl) == 0) {
				a = atom_find(s + pl, end - pl);
				if (a && a->metric) {
					f = prefixes[k].factor;
					break;
				}
				a = NULL;
			}
		}
	}
	if (!a)
		return -1;
	if (strcmp(a->sym, "Cel") == 0)
		*cel = 1;
	f *= a->factor;
	*factor *= ipow(f, exp);
	for (k = 0; k < 6; k++)
		dim[k] += a->dim[k] * exp;
	return 0;
}

/* Spellings found for UCUM units in published test data (ADA instances
 * write units as people do); read as the UCUM unit they stand for. */
static const struct { const char *alias, *ucum; } unit_aliases[] = {
	{ "gram", "g" }, { "kilogram", "kg" }, { "mmHg", "mm[Hg]" }, { "dag", "d" },
	{ "dagen", "d" }, { "week", "wk" }, { "w", "wk" }, { "jaar", "a" }, { "uur", "h" },
	{ "minuut", "min" }, { "g per week", "g/wk" }, { "liter", "L" },
};

/* One term of a unit: a whole number (the 2 of "mg/(2.d)"), a term in
 * parentheses ("(2.d)", parsed as a unit of its own, no offset), or a
 * unit term. */
static int factor_term(const char *p, size_t n, double *f, int d[6], int *cel)
{
	char inner[128];
	double o;

	if (strspn(p, "0123456789") >= n) {
		*f = strtod(p, NULL);
		return *f > 0 ? 0 : -1;
	}
	if (p[0] == '(' && p[n - 1] == ')' && n - 2 < sizeof(inner)) {
		snprintf(inner, sizeof(inner), "%.*s", (int)(n - 2), p + 1);
		return ucum_parse(inner, f, d, &o) == 0 && o == 0 ? 0 : -1;
	}
	return term_parse(p, n, f, d, cel);
}

int ucum_parse(const char *unit, double *factor, int dim[6], double *offset)
{
	const char *p = unit;
	size_t i;

	for (i = 0; unit && i < sizeof(unit_aliases) / sizeof(unit_aliases[0]); i++)
		if (strcmp(unit, unit_aliases[i].alias) == 0) {
			p = unit = unit_aliases[i].ucum;
			break;
		}
	int sign = 1, cel = 0, terms = 0;

	*factor = 1;
	*offset = 0;
	memset(dim, 0, 6 * sizeof(int));
	if (!unit || !*unit)
		return -1;
	if (*p == '/')
		sign = -1, p++;
	while (*p) {
		size_t n = 0;
		double f = 1;
		int d[6] = { 0 }, k, depth = 0;
		while (p[n] && (depth || (p[n] != '.' && p[n] != '/'))) {
			if (p[n] == '[' || p[n] == '{' || p[n] == '(')
				depth++;
			else if ((p[n] == ']' || p[n] == '}' || p[n] == ')') && depth)
				depth--;
			n++;
		}
		if (n == 0 || factor_term(p, n, &f, d, &cel) < 0)
			return -1;
		*factor *= sign > 0 ? f : 1 / f;
		for (k = 0; k < 6; k++)
			dim[k] += sign * d[k];
		terms++;
		p += n;
		if (*p == '/')
			sign = -1, p++;
		else if (*p == '.')
			p++;
	}
	/* Cel is an offset scale: only a plain Cel converts to K. */
	if (cel) {
		if (terms != 1)
			return -1;
		*offset = 273.15;
	}
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

static int near(double a, double b)
{
	double m = dabs(a) > dabs(b) ? dabs(a) : dabs(b);
	return dabs(a - b) <= 1e-9 * (m > 1 ? m : 1);
}

enum value_cmp pq_compare(const char *va, const char *ua, const char *vb, const char *ub,
	const char **note)
{
	double a, b, fa, fb, oa, ob;
	int da[6], db[6];

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
	if (ucum_parse(ua, &fa, da, &oa) < 0 || ucum_parse(ub, &fb, db, &ob) < 0) {
		*note = "units not comparable (not in the UCUM table)";
		return VALUE_INCOMPARABLE;
	}
	if (memcmp(da, db, sizeof(da)) != 0) {
		*note = "units of different dimensions";
		return VALUE_DIFFERENT;
	}
	return near(a * fa + oa, b * fb + ob) ? VALUE_EQUAL : VALUE_DIFFERENT;
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

	return pq_compare(a->number, pq_unit_key(a, ka, sizeof(ka)), b->number,
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
	return concept_code_system(ctx, v->concept, v->code);
}

static enum value_cmp code_compare(const zib_ctx *ctx, const struct zib_value *a,
	const struct zib_value *b)
{
	char sa[256], sb[256];

	if (!a->code && !b->code)
		return str_eq(a->text, b->text) ? VALUE_EQUAL : VALUE_DIFFERENT;
	if (!str_eq(a->code, b->code))
		return VALUE_DIFFERENT;
	return strcmp(system_norm(ctx, implied_system(ctx, a), sa, sizeof(sa)),
		system_norm(ctx, implied_system(ctx, b), sb, sizeof(sb))) == 0 ? VALUE_EQUAL : VALUE_DIFFERENT;
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
		return ts_compare(a->text, b->text, note);
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
	struct ts t;
	double n, f, o;
	int dim[6];

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
			buf_printf(out, "C|%s|%s", system_norm(ctx, implied_system(ctx, v), s, sizeof(s)), v->code);
		else
			buf_printf(out, "T|%s", v->text ? v->text : "");
		break;
	case ZIB_VALUE_TS:
		if (v->text && ts_parse(v->text, &t) == 0) {
			if (t.precision >= 4 && t.has_tz) {
				/* The instant in UTC, so equal instants sign alike. */
				long long secs = ts_seconds(&t);
				buf_printf(out, "TS|%d|%lld|%s", t.precision, secs, t.frac);
			} else {
				buf_printf(out, "TS|%d|%04d%02d%02d%02d%02d%02d|%s", t.precision, t.year,
					t.month, t.day, t.hour, t.minute, t.second, t.frac);
			}
		} else if (ts_relative(v->text, s, sizeof(s)) == 0) {
			buf_printf(out, "TR|%s", s);
		} else {
			buf_printf(out, "T|%s", v->text ? v->text : "");
		}
		break;
	case ZIB_VALUE_PQ:
		unit = pq_unit_key(v, s, sizeof(s));
		if (number_parse(v->number, &n) == 0 && unit && ucum_parse(unit, &f, dim, &o) == 0)
			buf_printf(out, "PQ|%d,%d,%d,%d,%d,%d|%.9g", dim[0], dim[1], dim[2], dim[3],
				dim[4], dim[5], n * f + o);
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
			buf_printf(out, "C|%s|%s", system_norm(ctx, v->system, s, sizeof(s)), v->code);
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
