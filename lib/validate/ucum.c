/*
 * Known UCUM units: the atoms a BgZ document uses, and the metric prefixes
 * UCUM allows on some of them.  Not the full UCUM table: a unit outside it
 * is a warning (ZIB-DT-007), never an error.  Facts from the UCUM
 * specification (unitsofmeasure.org), case-sensitive forms.
 */
#include <string.h>

#include "validate/rules.h"

struct atom {
	const char *code;
	int metric;   /* takes a prefix (mg, mmol, uL, mm[Hg]) */
};

static const struct atom atoms[] = {
	/* base and SI-derived units */
	{ "m", 1 }, { "g", 1 }, { "s", 1 }, { "L", 1 }, { "l", 1 }, { "mol", 1 }, { "eq", 1 },
	{ "K", 1 }, { "Cel", 1 }, { "A", 1 }, { "V", 1 }, { "W", 1 }, { "J", 1 }, { "N", 1 },
	{ "Pa", 1 }, { "Hz", 1 }, { "bar", 1 }, { "cal", 1 }, { "kat", 1 }, { "osm", 1 },
	{ "Ohm", 1 }, { "C", 1 }, { "F", 1 }, { "S", 1 }, { "T", 1 }, { "Bq", 1 }, { "Gy", 1 },
	{ "Sv", 1 }, { "t", 1 }, { "sr", 1 }, { "rad", 1 }, { "lm", 1 }, { "lx", 1 },
	{ "U", 1 }, { "[iU]", 1 }, { "[IU]", 1 }, { "m[Hg]", 1 }, { "m[H2O]", 1 }, { "[CFU]", 1 },
	/* time */
	{ "min", 0 }, { "h", 0 }, { "d", 0 }, { "wk", 0 }, { "mo", 0 }, { "a", 0 },
	/* dimensionless */
	{ "%", 0 }, { "[ppm]", 0 }, { "[ppb]", 0 }, { "[ppth]", 0 }, { "[pH]", 0 },
	{ "[arb'U]", 0 }, { "[drp]", 0 }, { "[diop]", 0 }, { "[p'diop]", 0 }, { "deg", 0 },
	{ "'", 0 }, { "''", 0 }, { "[degF]", 0 }, { "[todd'U]", 0 },
	/* international and US customary units */
	{ "[in_i]", 0 }, { "[ft_i]", 0 }, { "[yd_i]", 0 }, { "[mi_i]", 0 }, { "[sin_i]", 0 },
	{ "[sft_i]", 0 }, { "[syd_i]", 0 }, { "[lb_av]", 0 }, { "[oz_av]", 0 }, { "[tsp_us]", 0 },
	{ "[tbs_us]", 0 }, { "[foz_us]", 0 }, { "[cup_us]", 0 }, { "[pt_us]", 0 }, { "[qt_us]", 0 },
	{ "[gal_us]", 0 }, { "[stone_av]", 0 },
};

/* Longest first, so "da" is tried before "d". */
static const char *const prefixes[] = {
	"da", "Y", "Z", "E", "P", "T", "G", "M", "k", "h", "d", "c", "m", "u", "n", "p", "f", "a", "z", "y",
};

static const struct atom *atom_find(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(atoms) / sizeof(atoms[0]); i++)
		if (strlen(atoms[i].code) == n && memcmp(atoms[i].code, s, n) == 0)
			return &atoms[i];
	return NULL;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* One term without annotations: a number, 10* / 10^ with an exponent, or
 * [prefix]atom[exponent]. */
static int term_known(const char *s, size_t n)
{
	size_t i, e = n;
	const struct atom *a;

	if (n == 0 || all_digits(s, n))
		return 1;
	while (e > 0 && s[e - 1] >= '0' && s[e - 1] <= '9')
		e--;
	if (e < n && e > 0 && (s[e - 1] == '+' || s[e - 1] == '-'))
		e--;
	if (e == 0)
		return 0;
	if (e == 3 && (memcmp(s, "10*", 3) == 0 || memcmp(s, "10^", 3) == 0))
		return 1;
	if (atom_find(s, e))
		return 1;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t p = strlen(prefixes[i]);
		if (p < e && memcmp(s, prefixes[i], p) == 0 && (a = atom_find(s + p, e - p)) && a->metric)
			return 1;
	}
	return 0;
}

int validate_ucum_known(const char *s)
{
	char term[64];
	size_t n = 0;
	int depth = 0;

	if (!validate_ucum_syntax(s))
		return 0;
	for (;; s++) {
		char c = *s;
		if (c == '{') {
			const char *e = strchr(s, '}');
			s = e ? e : s + strlen(s) - 1;
			continue;
		}
		if (c == '[')
			depth++;
		else if (c == ']')
			depth--;
		if (c == '\0' || (depth == 0 && (c == '.' || c == '/' || c == '(' || c == ')'))) {
			if (!term_known(term, n))
				return 0;
			n = 0;
			if (c == '\0')
				return 1;
			continue;
		}
		if (n + 1 >= sizeof(term))
			return 0;
		term[n++] = c;
	}
}
