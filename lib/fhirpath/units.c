/*
 * units: the UCUM conversions FHIRPath needs to compare and multiply
 * quantities.
 *
 * TODO(lead): this is a stop-gap.  lib/model/ucum (one table and parser
 * generated from ucum-essence.xml, being built on branch h-layers) is to
 * replace it: fhirpath_unit_canon() below is the only entry point the
 * evaluator uses, so rewiring means reimplementing that one function on
 * top of lib/model/ucum and deleting the table here.
 *
 * A unit is reduced to a factor and the exponents of the base dimensions
 * (length, mass, time, amount, temperature-free others): "mg" is 1e-3 g,
 * "g/m" is g^1 m^-1.  Grammar handled: components joined by '.' and '/',
 * parentheses, integer exponents, prefixes, {annotations}, plain numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fhirpath/fp_int.h"

struct atom {
	const char *code;
	double factor;
	signed char dim[FP_NDIM];   /* m, g, s, mol, other */
	int prefixable;
};

static const struct atom atoms[] = {
	{ "1", 1, { 0, 0, 0, 0, 0 }, 0 },
	{ "%", 0.01, { 0, 0, 0, 0, 0 }, 0 },
	{ "m", 1, { 1, 0, 0, 0, 0 }, 1 },
	{ "g", 1, { 0, 1, 0, 0, 0 }, 1 },
	{ "s", 1, { 0, 0, 1, 0, 0 }, 1 },
	{ "mol", 1, { 0, 0, 0, 1, 0 }, 1 },
	{ "min", 60, { 0, 0, 1, 0, 0 }, 0 },
	{ "h", 3600, { 0, 0, 1, 0, 0 }, 0 },
	{ "d", 86400, { 0, 0, 1, 0, 0 }, 0 },
	{ "wk", 604800, { 0, 0, 1, 0, 0 }, 0 },
	{ "mo", 2629800, { 0, 0, 1, 0, 0 }, 0 },
	{ "a", 31557600, { 0, 0, 1, 0, 0 }, 0 },
	{ "L", 1e-3, { 3, 0, 0, 0, 0 }, 1 },
	{ "l", 1e-3, { 3, 0, 0, 0, 0 }, 1 },
	{ "[lb_av]", 453.59237, { 0, 1, 0, 0, 0 }, 0 },
	{ "[oz_av]", 28.349523125, { 0, 1, 0, 0, 0 }, 0 },
	{ "[in_i]", 0.0254, { 1, 0, 0, 0, 0 }, 0 },
	{ "[ft_i]", 0.3048, { 1, 0, 0, 0, 0 }, 0 },
	{ "[mi_i]", 1609.344, { 1, 0, 0, 0, 0 }, 0 },
	{ "[iU]", 1, { 0, 0, 0, 0, 1 }, 1 },
	{ "U", 1, { 0, 0, 0, 0, 2 }, 1 },
	{ "mm[Hg]", 133.322, { -1, 1, -2, 0, 0 }, 0 },
	{ "Cel", 1, { 0, 0, 0, 0, 4 }, 0 },
	{ "K", 1, { 0, 0, 0, 0, 4 }, 1 },
	{ "Pa", 1000, { -1, 1, -2, 0, 0 }, 1 },
	{ "eq", 1, { 0, 0, 0, 1, 0 }, 1 },
};

static const struct { const char *p; double f; } prefixes[] = {
	{ "da", 1e1 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { "h", 1e2 },
	{ "d", 1e-1 }, { "c", 1e-2 }, { "m", 1e-3 }, { "u", 1e-6 }, { "n", 1e-9 },
	{ "p", 1e-12 }, { "f", 1e-15 },
};

static const struct atom *atom_find(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(atoms) / sizeof(atoms[0]); i++)
		if (strlen(atoms[i].code) == len && memcmp(atoms[i].code, s, len) == 0)
			return &atoms[i];
	return NULL;
}

/* One symbol with its optional prefix. */
static int symbol(const char *s, size_t len, struct fp_unit *u)
{
	const struct atom *a = atom_find(s, len);
	size_t i, pl;
	int k;

	if (a) {
		u->factor = a->factor;
		for (k = 0; k < FP_NDIM; k++)
			u->dim[k] = a->dim[k];
		return 0;
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		pl = strlen(prefixes[i].p);
		if (len <= pl || memcmp(s, prefixes[i].p, pl) != 0)
			continue;
		a = atom_find(s + pl, len - pl);
		if (a && a->prefixable) {
			u->factor = a->factor * prefixes[i].f;
			for (k = 0; k < FP_NDIM; k++)
				u->dim[k] = a->dim[k];
			return 0;
		}
	}
	return -1;
}

static void combine(struct fp_unit *acc, const struct fp_unit *u, int sign)
{
	int k;

	acc->factor = sign > 0 ? acc->factor * u->factor : acc->factor / u->factor;
	for (k = 0; k < FP_NDIM; k++)
		acc->dim[k] = (signed char)(acc->dim[k] + sign * u->dim[k]);
}

static int term(const char **p, struct fp_unit *out);

/* component: '(' term ')' | number | {annotation} | symbol [exponent] */
static int component(const char **p, struct fp_unit *u)
{
	const char *s = *p, *start;
	int k, exp = 1, neg = 0;
	struct fp_unit base;

	memset(u, 0, sizeof(*u));
	u->factor = 1;
	if (*s == '(') {
		s++;
		if (term(&s, u) != 0 || *s != ')')
			return -1;
		*p = s + 1;
		return 0;
	}
	if (*s == '{') {
		while (*s && *s != '}')
			s++;
		if (*s != '}')
			return -1;
		*p = s + 1;
		return 0;
	}
	if (*s >= '0' && *s <= '9') {
		long n = strtol(s, (char **)&start, 10);
		u->factor = (double)n;
		s = start;
		if (*s == '{') {
			while (*s && *s != '}')
				s++;
			if (*s)
				s++;
		}
		*p = s;
		return 0;
	}
	start = s;
	while (*s && *s != '.' && *s != '/' && *s != '(' && *s != ')' && *s != '{' &&
		!(*s >= '0' && *s <= '9') && *s != '-' && *s != '+') {
		if (*s == '[') {
			while (*s && *s != ']')
				s++;
			if (!*s)
				return -1;
		}
		s++;
	}
	if (s == start || symbol(start, (size_t)(s - start), &base) != 0)
		return -1;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (*s >= '0' && *s <= '9') {
		exp = (int)strtol(s, (char **)&start, 10);
		s = start;
	}
	if (neg)
		exp = -exp;
	if (*s == '{') {
		while (*s && *s != '}')
			s++;
		if (*s)
			s++;
	}
	u->factor = pow(base.factor, exp);
	for (k = 0; k < FP_NDIM; k++)
		u->dim[k] = (signed char)(base.dim[k] * exp);
	*p = s;
	return 0;
}

static int term(const char **p, struct fp_unit *out)
{
	const char *s = *p;
	struct fp_unit u;
	int sign = 1;

	memset(out, 0, sizeof(*out));
	out->factor = 1;
	if (*s == '/') {
		sign = -1;
		s++;
	}
	for (;;) {
		if (component(&s, &u) != 0)
			return -1;
		combine(out, &u, sign);
		if (*s == '.')
			sign = 1;
		else if (*s == '/')
			sign = -1;
		else
			break;
		s++;
	}
	*p = s;
	return 0;
}

int fhirpath_unit_canon(const char *unit, struct fp_unit *out)
{
	const char *p = unit && *unit ? unit : "1";

	if (term(&p, out) != 0 || *p)
		return -1;
	return 0;
}

int fp_unit_same_dim(const struct fp_unit *a, const struct fp_unit *b)
{
	return memcmp(a->dim, b->dim, sizeof(a->dim)) == 0;
}

int fhirpath_unit_convert(double value, const char *from, const char *to, double *out)
{
	struct fp_unit a, b;

	if (fhirpath_unit_canon(from, &a) != 0 || fhirpath_unit_canon(to, &b) != 0 ||
		!fp_unit_same_dim(&a, &b))
		return -1;
	*out = value * a.factor / b.factor;
	return 0;
}
