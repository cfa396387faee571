/*
 * The UCUM parser and converter (see ucum.h).  A recursive descent over
 * UCUM's grammar:
 *
 *   main-term   = "/" term | term
 *   term        = component { ("." | "/") component }     (left to right)
 *   component   = annotatable [annotation] | annotation | factor | "(" term ")"
 *   annotatable = [prefix] atom [exponent]
 *
 * The atoms come from ucum_essence.c.  Each atom's definition (a factor
 * times an expression of other atoms) is parsed by this same parser on
 * first use, under pthread_once, so the table is one transcript of
 * ucum-essence.xml and the parser is the only code that knows UCUM.
 */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ucum.h"
#include "model/ucum_table.h"

/* More than the 303 atoms and 7 base units of UCUM 2.0.1. */
#define MAX_ENTRIES 512
/* Parentheses nest no deeper; definitions nest atoms no deeper. */
#define MAX_DEPTH 32
/* |exponent| beyond this leaves the range of a double anyway. */
#define MAX_EXPONENT 300

/* An atom or base unit, resolved into a factor and a dimension. */
struct entry {
	const char *code;
	int metric;
	int state;              /* 0 unresolved, 1 resolving, 2 resolved, -1 failed */
	struct ucum_unit unit;  /* one of the atom in canonical units */
	const struct ucum_atom_def *def;   /* NULL for a base unit */
};

static struct entry entries[MAX_ENTRIES];
static const struct entry *sorted[MAX_ENTRIES];
static int nentries;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

struct parser {
	const char *s;
	size_t pos;
	char *why;
	size_t why_size;
	int depth;
	int components;    /* components of the whole expression */
	int inverted;      /* the expression started with '/' */
};

static int fail(struct parser *p, int status, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct parser *p, int status, size_t at, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!p->why || p->why_size == 0)
		return status;
	va_start(ap, fmt);
	vsnprintf(p->why, p->why_size, fmt, ap);
	va_end(ap);
	n = strlen(p->why);
	if (n < p->why_size)
		snprintf(p->why + n, p->why_size - n, " (at %zu)", at + 1);
	return status;
}

static void unit_one(struct ucum_unit *u)
{
	memset(u, 0, sizeof(*u));
	u->factor = 1;
	u->convertible = 1;
}

/* x to an integer power; exact for the small exponents units have. */
static double ipow(double x, int n)
{
	double r = 1;
	int i;

	for (i = 0; i < (n < 0 ? -n : n); i++)
		r *= x;
	return n < 0 ? 1 / r : r;
}

/* u raised to exp (exp -1 divides by it). */
static void unit_pow(struct ucum_unit *u, int exp)
{
	int k;

	u->factor = ipow(u->factor, exp);
	for (k = 0; k < UCUM_NDIM; k++)
		u->dim[k] *= exp;
	u->arbitrary_exp *= exp;
}

/* a = a . b (sign 1) or a / b (sign -1). */
static void unit_combine(struct ucum_unit *a, const struct ucum_unit *b, int sign)
{
	int k;

	a->factor = sign > 0 ? a->factor * b->factor : a->factor / b->factor;
	for (k = 0; k < UCUM_NDIM; k++)
		a->dim[k] += sign * b->dim[k];
	if (!a->special)
		a->special = b->special;
	if (b->arbitrary) {
		if (!a->arbitrary) {
			a->arbitrary = b->arbitrary;
			a->arbitrary_exp = sign * b->arbitrary_exp;
		} else if (strcmp(a->arbitrary, b->arbitrary) == 0) {
			a->arbitrary_exp += sign * b->arbitrary_exp;
			if (a->arbitrary_exp == 0 && strcmp(a->arbitrary, "*") != 0)
				a->arbitrary = NULL;
		} else {
			a->arbitrary = "*";
		}
	}
}

/* ---- the table ---- */

static int entry_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct entry *const *)a)->code, (*(const struct entry *const *)b)->code);
}

static const struct entry *lookup(const char *s, size_t n)
{
	size_t lo = 0, hi = (size_t)nentries;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(sorted[mid]->code, s, n);
		if (c == 0 && sorted[mid]->code[n] != '\0')
			c = 1;
		if (c == 0)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int parse_main(struct parser *p, struct ucum_unit *out);
static int resolve(struct entry *e, int depth);

/* Offset scales: value in K = value * factor + offset.  The offsets are
 * UCUM's definitions of the functions Cel, degF and degRe. */
static int offset_scale(const char *function, double factor, double *offset)
{
	if (strcmp(function, "Cel") == 0) {
		*offset = 273.15;
	} else if (strcmp(function, "degF") == 0) {
		*offset = 459.67 * factor;
	} else if (strcmp(function, "degRe") == 0) {
		*offset = 273.15;
	} else {
		return 0;
	}
	return 1;
}

/* An atom's definition through the parser: factor times its unit. */
static int resolve(struct entry *e, int depth)
{
	struct parser p;
	struct ucum_unit u;
	const struct ucum_atom_def *d = e->def;

	if (e->state == 2)
		return 0;
	if (e->state != 0 || depth > MAX_DEPTH)
		return -1;   /* failed before, or a cycle */
	e->state = 1;
	memset(&p, 0, sizeof(p));
	p.s = d->unit;
	p.depth = depth + 1;
	if (parse_main(&p, &u) != UCUM_OK) {
		e->state = -1;
		return -1;
	}
	u.factor *= d->factor;
	u.offset = 0;
	u.convertible = 1;
	if (d->flags & UCUM_F_ARBITRARY) {
		if (!u.arbitrary) {
			u.arbitrary = d->code;
			u.arbitrary_exp = 1;
		}
	}
	if (d->flags & UCUM_F_SPECIAL)
		u.special = d->code;
	e->unit = u;
	e->state = 2;
	return 0;
}

static void table_init(void)
{
	int i;

	for (i = 0; i < ucum_nbases && nentries < MAX_ENTRIES; i++) {
		struct entry *e = &entries[nentries++];
		unit_one(&e->unit);
		e->code = ucum_bases[i].code;
		e->metric = 1;
		if (i < UCUM_NDIM)
			e->unit.dim[i] = 1;
		e->state = i < UCUM_NDIM ? 2 : -1;
	}
	for (i = 0; i < ucum_natoms && nentries < MAX_ENTRIES; i++) {
		struct entry *e = &entries[nentries++];
		e->code = ucum_atoms[i].code;
		e->metric = (ucum_atoms[i].flags & UCUM_F_METRIC) != 0;
		e->def = &ucum_atoms[i];
	}
	for (i = 0; i < nentries; i++)
		sorted[i] = &entries[i];
	qsort(sorted, (size_t)nentries, sizeof(sorted[0]), entry_cmp);
	for (i = 0; i < nentries; i++)
		if (entries[i].def)
			resolve(&entries[i], 0);
}

/* ---- the parser ---- */

/* Characters that end a simple unit (outside [..]). */
static int ends_unit(char c)
{
	return c == '\0' || c == '.' || c == '/' || c == '(' || c == ')' || c == '{' || c == '}';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips {annotation}: printable ASCII other than braces.  UCUM's grammar
 * leaves out the space too, but annotations such as {eenheden per dag}
 * are common and the UCUM reference implementation takes them. */
static int parse_annotation(struct parser *p)
{
	size_t start = p->pos;

	for (p->pos++; p->s[p->pos] != '}'; p->pos++) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '\0')
			return fail(p, UCUM_ESYNTAX, start, "'{' without '}'");
		if (c < 32 || c > 126 || c == '{')
			return fail(p, UCUM_ESYNTAX, p->pos, "'%c' in an annotation", c);
	}
	p->pos++;
	return UCUM_OK;
}

/* [prefix]atom: the entry, resolved, and the prefix factor. */
static int find_atom(struct parser *p, size_t at, size_t n, const struct entry **out, double *prefix)
{
	const char *s = p->s + at;
	const struct entry *e = lookup(s, n);
	int i, unprefixable = -1;

	*prefix = 1;
	if (!e) {
		size_t best = 0;
		for (i = 0; i < ucum_nprefixes; i++) {
			size_t pl = strlen(ucum_prefixes[i].code);
			const struct entry *a;
			if (pl >= n || pl <= best || strncmp(s, ucum_prefixes[i].code, pl) != 0)
				continue;
			if (!(a = lookup(s + pl, n - pl)))
				continue;
			if (!a->metric) {
				unprefixable = (int)pl;
				continue;
			}
			e = a;
			best = pl;
			*prefix = ucum_prefixes[i].factor;
		}
	}
	if (!e && unprefixable >= 0)
		return fail(p, UCUM_EUNKNOWN, at + (size_t)unprefixable, "'%.*s' takes no prefix",
			(int)(n - (size_t)unprefixable), s + unprefixable);
	if (!e)
		return fail(p, UCUM_EUNKNOWN, at, "'%.*s' is no UCUM unit", (int)n, s);
	if (e->state == 0 && resolve((struct entry *)e, p->depth) < 0)
		return fail(p, UCUM_EUNKNOWN, at, "'%.*s' has a definition that does not resolve", (int)n, s);
	if (e->state != 2)
		return fail(p, UCUM_EUNKNOWN, at, "'%.*s' has a definition that does not resolve", (int)n, s);
	*out = e;
	return UCUM_OK;
}

/* A simple unit with its exponent, or a whole-number factor. */
static int parse_simple(struct parser *p, struct ucum_unit *out)
{
	size_t start = p->pos, end, e;
	const struct entry *atom = NULL;
	double prefix = 1;
	int rc, exp = 1;

	while (!ends_unit(p->s[p->pos])) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '[') {
			size_t open = p->pos;
			while (p->s[p->pos] && p->s[p->pos] != ']') {
				unsigned char b = (unsigned char)p->s[p->pos];
				if (b < 33 || b > 126)
					return fail(p, UCUM_ESYNTAX, p->pos, b == ' ' ? "a space in a unit" :
						"'%c' in a unit", b);
				p->pos++;
			}
			if (!p->s[p->pos])
				return fail(p, UCUM_ESYNTAX, open, "'[' without ']'");
		} else if (c == ']') {
			return fail(p, UCUM_ESYNTAX, p->pos, "']' without '['");
		} else if (c < 33 || c > 126) {
			return fail(p, UCUM_ESYNTAX, p->pos, c == ' ' ? "a space in a unit" :
				"'%c' in a unit", c);
		}
		p->pos++;
	}
	end = p->pos;
	if (end == start)
		return fail(p, UCUM_ESYNTAX, start, "a unit is missing");
	unit_one(out);
	for (e = start; e < end && is_digit(p->s[e]); e++)
		;
	if (e == end) {
		/* A factor: a whole number. */
		out->factor = strtod(p->s + start, NULL);
		if (out->factor <= 0)
			return fail(p, UCUM_ESYNTAX, start, "factor 0");
		return UCUM_OK;
	}
	/* A trailing signed integer is the exponent: m2, s-1, 10*-3. */
	e = end;
	while (e > start && is_digit(p->s[e - 1]))
		e--;
	if (e < end && e > start && (p->s[e - 1] == '+' || p->s[e - 1] == '-'))
		e--;
	if (e == start)
		return fail(p, UCUM_ESYNTAX, start, "an exponent without a unit");
	if (e < end) {
		long v = strtol(p->s + e, NULL, 10);
		if (end - e > 4 || v > MAX_EXPONENT || v < -MAX_EXPONENT)
			return fail(p, UCUM_ESYNTAX, e, "exponent too large");
		exp = (int)v;
	} else if (p->s[e - 1] == '+' || p->s[e - 1] == '-') {
		return fail(p, UCUM_ESYNTAX, e - 1, "'%c' without an exponent", p->s[e - 1]);
	}
	if ((rc = find_atom(p, start, e - start, &atom, &prefix)) != UCUM_OK)
		return rc;
	*out = atom->unit;
	out->factor *= prefix;
	if (out->special && exp != 1)
		out->convertible = 0;
	unit_pow(out, exp);
	/* An offset scale converts with the prefix on its magnitude. */
	out->offset = 0;
	if (atom->def && atom->def->function && exp == 1 &&
	    offset_scale(atom->def->function, out->factor / prefix, &out->offset))
		out->convertible = 1;
	else if (out->special)
		out->convertible = 0;
	return UCUM_OK;
}

static int parse_term(struct parser *p, struct ucum_unit *out);

static int parse_component(struct parser *p, struct ucum_unit *out)
{
	char c = p->s[p->pos];
	int rc;

	p->components++;
	if (c == '(') {
		size_t open = p->pos++;
		if (++p->depth > MAX_DEPTH)
			return fail(p, UCUM_ESYNTAX, open, "parentheses nest too deep");
		if ((rc = parse_term(p, out)) != UCUM_OK)
			return rc;
		p->depth--;
		if (p->s[p->pos] != ')')
			return fail(p, UCUM_ESYNTAX, open, "'(' without ')'");
		p->pos++;
		p->components++;   /* (Cel) is no lone offset scale */
		/* UCUM's grammar has no annotation here, but its common units
		 * (FHIR's ucum-common value set) write one: g/(8.h){shift}. */
		if (p->s[p->pos] == '{')
			return parse_annotation(p);
		return UCUM_OK;
	}
	if (c == '{') {
		unit_one(out);
		return parse_annotation(p);
	}
	if ((rc = parse_simple(p, out)) != UCUM_OK)
		return rc;
	if (p->s[p->pos] == '{')
		return parse_annotation(p);
	return UCUM_OK;
}

static int parse_term(struct parser *p, struct ucum_unit *out)
{
	int rc;

	if ((rc = parse_component(p, out)) != UCUM_OK)
		return rc;
	while (p->s[p->pos] == '.' || p->s[p->pos] == '/') {
		struct ucum_unit b;
		int sign = p->s[p->pos] == '.' ? 1 : -1;
		p->pos++;
		if ((rc = parse_component(p, &b)) != UCUM_OK)
			return rc;
		unit_combine(out, &b, sign);
	}
	return UCUM_OK;
}

static int parse_main(struct parser *p, struct ucum_unit *out)
{
	int rc;

	unit_one(out);
	if (!p->s || !*p->s)
		return fail(p, UCUM_ESYNTAX, 0, "empty unit");
	if (p->s[0] == '/') {
		struct ucum_unit t;
		p->pos++;
		p->inverted = 1;
		if ((rc = parse_term(p, &t)) != UCUM_OK)
			return rc;
		unit_combine(out, &t, -1);
	} else if ((rc = parse_term(p, out)) != UCUM_OK) {
		return rc;
	}
	if (p->s[p->pos] == ')')
		return fail(p, UCUM_ESYNTAX, p->pos, "')' without '('");
	if (p->s[p->pos] == '}')
		return fail(p, UCUM_ESYNTAX, p->pos, "'}' without '{'");
	if (p->s[p->pos] != '\0')
		return fail(p, UCUM_ESYNTAX, p->pos, "'%c' where a unit should be", p->s[p->pos]);
	return UCUM_OK;
}

/* ---- the API ---- */

int ucum_parse(struct ucum_unit *out, const char *expr, char *why, size_t why_size)
{
	struct parser p;
	int rc;

	pthread_once(&table_once, table_init);
	memset(&p, 0, sizeof(p));
	p.s = expr;
	p.why = why;
	p.why_size = why_size;
	if (why && why_size)
		why[0] = '\0';
	rc = parse_main(&p, out);
	if (rc != UCUM_OK)
		return rc;
	if (!isfinite(out->factor) || out->factor <= 0)
		return fail(&p, UCUM_ESYNTAX, 0, "a factor beyond the range of numbers");
	/* Only a lone offset scale converts: 37 Cel, not Cel/h nor /Cel. */
	if (out->special && (p.components != 1 || p.inverted))
		out->convertible = 0;
	if (!out->special || !out->convertible)
		out->offset = 0;
	return UCUM_OK;
}

int ucum_valid(const char *expr)
{
	struct ucum_unit u;

	return ucum_parse(&u, expr, NULL, 0) == UCUM_OK;
}

int ucum_to_canonical(double *out, double value, const struct ucum_unit *u)
{
	if (u->special && !u->convertible)
		return UCUM_ESPECIAL;
	*out = value * u->factor + u->offset;
	return UCUM_OK;
}

int ucum_from_canonical(double *out, double value, const struct ucum_unit *u)
{
	if (u->special && !u->convertible)
		return UCUM_ESPECIAL;
	*out = (value - u->offset) / u->factor;
	return UCUM_OK;
}

int ucum_comparable(const struct ucum_unit *a, const struct ucum_unit *b)
{
	if ((a->special && !a->convertible) || (b->special && !b->convertible))
		return UCUM_ESPECIAL;
	if (memcmp(a->dim, b->dim, sizeof(a->dim)) != 0)
		return UCUM_EDIMENSION;
	if ((a->arbitrary || b->arbitrary) &&
	    (!a->arbitrary || !b->arbitrary || strcmp(a->arbitrary, "*") == 0 ||
	     strcmp(a->arbitrary, b->arbitrary) != 0 || a->arbitrary_exp != b->arbitrary_exp))
		return UCUM_EARBITRARY;
	return UCUM_OK;
}

int ucum_convert(double *out, double value, const char *from, const char *to,
	char *why, size_t why_size)
{
	struct ucum_unit a, b;
	double canon;
	int rc;

	if ((rc = ucum_parse(&a, from, why, why_size)) != UCUM_OK ||
	    (rc = ucum_parse(&b, to, why, why_size)) != UCUM_OK)
		return rc;
	rc = ucum_comparable(&a, &b);
	if (rc != UCUM_OK) {
		if (why && why_size)
			snprintf(why, why_size, rc == UCUM_ESPECIAL ? "'%s' and '%s': a special unit "
				"converts only alone and only when it is an offset scale (Cel, [degF], [degRe])" :
				rc == UCUM_EDIMENSION ? "'%s' and '%s' measure different things" :
				"'%s' and '%s': arbitrary units convert only to themselves", from, to);
		return rc;
	}
	ucum_to_canonical(&canon, value, &a);
	return ucum_from_canonical(out, canon, &b);
}

const char *ucum_canonical(const struct ucum_unit *u, char *buf, size_t size)
{
	size_t len = 0;
	int k;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	pthread_once(&table_once, table_init);
	for (k = 0; k < UCUM_NDIM && k < ucum_nbases; k++) {
		if (!u->dim[k])
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", len ? "." : "",
			ucum_bases[k].code);
		if (u->dim[k] != 1)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%d", u->dim[k]);
	}
	if (u->arbitrary) {
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", len ? "." : "",
			u->arbitrary);
		if (u->arbitrary_exp != 1)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%d", u->arbitrary_exp);
	}
	if (len == 0)
		snprintf(buf, size, "1");
	return buf;
}

const char *ucum_version(void)
{
	return ucum_essence_version;
}
