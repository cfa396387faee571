/*
 * value: atomic values of XPath 2.0: casting between the xs types the rule
 * sets use, and comparing (codepoint collation for strings, numbers as
 * doubles, dates and times on a seconds scale).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "xpath2/ast.h"

static const struct { const char *name; enum xp_type t; } type_names[] = {
	{ "untypedAtomic", XP_UNTYPED }, { "string", XP_STRING }, { "anyURI", XP_ANYURI },
	{ "boolean", XP_BOOLEAN }, { "integer", XP_INTEGER }, { "decimal", XP_DECIMAL },
	{ "double", XP_DOUBLE }, { "float", XP_DOUBLE }, { "dateTime", XP_DATETIME },
	{ "date", XP_DATE }, { "QName", XP_QNAME },
	{ "int", XP_INTEGER }, { "long", XP_INTEGER }, { "nonNegativeInteger", XP_INTEGER },
	{ "positiveInteger", XP_INTEGER }, { "token", XP_STRING }, { "normalizedString", XP_STRING },
	{ "NCName", XP_STRING }, { "anyAtomicType", XP_UNTYPED },
};

int xp_type_by_name(const char *name, enum xp_type *t)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(type_names[i].name, name) == 0) {
			*t = type_names[i].t;
			return 0;
		}
	return -1;
}

const char *xp_type_name(enum xp_type t)
{
	switch (t) {
	case XP_NODE: return "node()";
	case XP_UNTYPED: return "xs:untypedAtomic";
	case XP_STRING: return "xs:string";
	case XP_ANYURI: return "xs:anyURI";
	case XP_BOOLEAN: return "xs:boolean";
	case XP_INTEGER: return "xs:integer";
	case XP_DECIMAL: return "xs:decimal";
	case XP_DOUBLE: return "xs:double";
	case XP_DATETIME: return "xs:dateTime";
	case XP_DATE: return "xs:date";
	case XP_QNAME: return "xs:QName";
	}
	return "item()";
}

int xp_is_numeric(enum xp_type t)
{
	return t == XP_INTEGER || t == XP_DECIMAL || t == XP_DOUBLE;
}

static int is_stringlike(enum xp_type t)
{
	return t == XP_STRING || t == XP_UNTYPED || t == XP_ANYURI;
}

/* XML Schema whitespace collapse for the lexical forms of non-strings. */
static const char *trim(const char *s, size_t *n)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
		s[len - 1] == '\r'))
		len--;
	*n = len;
	return s;
}

static int parse_integer(const char *s, size_t n, long long *out)
{
	size_t i = 0;
	long long v = 0;
	int neg = 0;

	if (n == 0)
		return -1;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		if (v > (0x7fffffffffffffffLL - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int parse_decimal(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	char buf[128];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	if (s[0] == '+' || s[0] == '-')
		i++;
	for (; i < n && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < n && s[i] == '.') {
		for (i++; i < n && isdigit((unsigned char)s[i]); i++)
			digits++;
	}
	if (i != n || digits == 0)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return 0;
}

static int parse_double(const char *s, size_t n, double *out)
{
	char buf[128];
	char *end;

	if (n == 3 && strncmp(s, "NaN", 3) == 0) {
		*out = NAN;
		return 0;
	}
	if (n == 3 && strncmp(s, "INF", 3) == 0) {
		*out = INFINITY;
		return 0;
	}
	if (n == 4 && strncmp(s, "-INF", 4) == 0) {
		*out = -INFINITY;
		return 0;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)buf[i]) && !strchr("+-.eE", buf[i]))
			return -1;
	*out = strtod(buf, &end);
	return *end ? -1 : 0;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * Parses xs:dateTime (with_time) or xs:date lexical forms:
 * -?YYYY-MM-DD[Thh:mm:ss[.s+]][Z|(+|-)hh:mm].  secs is the time on a UTC
 * scale when a zone is given (else local, compared as UTC).
 */
static int parse_datetime(const char *s, size_t n, int with_time, double *secs, int *has_tz)
{
	size_t i = 0, ystart;
	long y = 0;
	int mo, d, h = 0, mi = 0, neg = 0;
	double sec = 0, t;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	ystart = i;
	while (i < n && isdigit((unsigned char)s[i])) {
		y = y * 10 + (s[i] - '0');
		i++;
		if (i - ystart > 9)
			return -1;
	}
	if (i - ystart < 4 || (i - ystart > 4 && s[ystart] == '0'))
		return -1;
	if (neg)
		y = -y;
	if (i + 6 > n || s[i] != '-' || s[i + 3] != '-')
		return -1;
	mo = digits(s + i + 1, 2);
	d = digits(s + i + 4, 2);
	i += 6;
	if (mo < 1 || mo > 12 || d < 1 || d > calendar_days_in_month(y, mo))
		return -1;
	if (with_time) {
		int end24 = 0;
		if (i + 9 > n || s[i] != 'T' || s[i + 3] != ':' || s[i + 6] != ':')
			return -1;
		h = digits(s + i + 1, 2);
		mi = digits(s + i + 4, 2);
		{
			int si = digits(s + i + 7, 2);
			if (h < 0 || mi < 0 || si < 0)
				return -1;
			sec = si;
		}
		i += 9;
		if (i < n && s[i] == '.') {
			double f = 0.1;
			size_t st = ++i;
			while (i < n && isdigit((unsigned char)s[i])) {
				sec += (s[i] - '0') * f;
				f /= 10;
				i++;
			}
			if (i == st)
				return -1;
		}
		if (h == 24 && mi == 0 && sec == 0)
			end24 = 1;
		if ((h > 23 && !end24) || mi > 59 || sec >= 60)
			return -1;
	}
	t = (double)calendar_days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec;
	*has_tz = 0;
	if (i < n) {
		if (s[i] == 'Z' && i + 1 == n) {
			*has_tz = 1;
		} else if ((s[i] == '+' || s[i] == '-') && i + 6 == n && s[i + 3] == ':') {
			int th = digits(s + i + 1, 2), tm = digits(s + i + 4, 2);
			if (th < 0 || tm < 0 || tm > 59 || th > 14 || (th == 14 && tm > 0))
				return -1;
			t -= (s[i] == '-' ? -1 : 1) * (th * 3600.0 + tm * 60.0);
			*has_tz = 1;
		} else {
			return -1;
		}
	}
	*secs = t;
	return 0;
}

static const char *xp_format_double(struct xp_run *r, double d)
{
	char buf[64];

	if (isnan(d))
		return "NaN";
	if (isinf(d))
		return d > 0 ? "INF" : "-INF";
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(buf, sizeof(buf), "%.0f", d);
		if (strcmp(buf, "-0") == 0)
			return "0";
	} else {
		snprintf(buf, sizeof(buf), "%.15g", d);
		/* drop noise digits: shortest form that round-trips */
		for (int prec = 1; prec <= 17; prec++) {
			char b2[64];
			snprintf(b2, sizeof(b2), "%.*g", prec, d);
			if (strtod(b2, NULL) == d) {
				snprintf(buf, sizeof(buf), "%s", b2);
				break;
			}
		}
	}
	return xp_strndup(&r->pool, buf, strlen(buf));
}

/* The canonical string of an atomic value. */
static const char *atomic_string(struct xp_run *r, const struct xp_item *it)
{
	char buf[32];

	switch (it->type) {
	case XP_BOOLEAN:
		return it->v.b ? "true" : "false";
	case XP_INTEGER:
		snprintf(buf, sizeof(buf), "%lld", it->v.i);
		return xp_strndup(&r->pool, buf, strlen(buf));
	case XP_DECIMAL:
	case XP_DOUBLE:
		return xp_format_double(r, it->v.d);
	case XP_QNAME:
		return it->v.str;
	default:
		return it->v.str ? it->v.str : "";
	}
}

const char *xp_item_string(struct xp_run *r, const struct xp_item *it)
{
	if (it->type == XP_NODE)
		return xp_node_string(&r->pool, it->v.node);
	return atomic_string(r, it);
}

int xp_cast(struct xp_run *r, const struct xp_item *in, enum xp_type to, struct xp_item *out)
{
	const char *s;
	size_t n;
	struct xp_item res;

	memset(&res, 0, sizeof(res));
	res.type = to;
	if (in->type == to) {
		*out = *in;
		return 0;
	}
	if (in->type == XP_NODE) {
		struct xp_item u;
		xp_item_str(&u, XP_UNTYPED, xp_node_string(&r->pool, in->v.node));
		return xp_cast(r, &u, to, out);
	}
	switch (to) {
	case XP_STRING:
	case XP_UNTYPED:
	case XP_ANYURI:
		res.v.str = atomic_string(r, in);
		*out = res;
		return 0;
	case XP_BOOLEAN:
		if (xp_is_numeric(in->type)) {
			res.v.b = in->type == XP_INTEGER ? in->v.i != 0 : (in->v.d != 0 && !isnan(in->v.d));
			break;
		}
		if (!is_stringlike(in->type))
			goto bad;
		s = trim(in->v.str, &n);
		if ((n == 4 && strncmp(s, "true", 4) == 0) || (n == 1 && s[0] == '1'))
			res.v.b = 1;
		else if ((n == 5 && strncmp(s, "false", 5) == 0) || (n == 1 && s[0] == '0'))
			res.v.b = 0;
		else
			goto bad;
		break;
	case XP_INTEGER:
		if (in->type == XP_BOOLEAN) {
			res.v.i = in->v.b;
			break;
		}
		if (in->type == XP_DECIMAL || in->type == XP_DOUBLE) {
			/* Out of xs:integer's range here (1e83): an error, not
			 * undefined behaviour (found by fuzz_xpath2). */
			if (isnan(in->v.d) || !(fabs(in->v.d) < 9.2e18))
				goto bad;
			res.v.i = (long long)trunc(in->v.d);
			break;
		}
		if (!is_stringlike(in->type))
			goto bad;
		s = trim(in->v.str, &n);
		if (parse_integer(s, n, &res.v.i) < 0)
			goto bad;
		break;
	case XP_DECIMAL:
	case XP_DOUBLE:
		if (in->type == XP_BOOLEAN) {
			res.v.d = in->v.b;
			break;
		}
		if (in->type == XP_INTEGER) {
			res.v.d = (double)in->v.i;
			break;
		}
		if (xp_is_numeric(in->type)) {
			if (to == XP_DECIMAL && (isnan(in->v.d) || isinf(in->v.d)))
				goto bad;
			res.v.d = in->v.d;
			break;
		}
		if (!is_stringlike(in->type))
			goto bad;
		s = trim(in->v.str, &n);
		if ((to == XP_DECIMAL ? parse_decimal(s, n, &res.v.d) : parse_double(s, n, &res.v.d)) < 0)
			goto bad;
		break;
	case XP_DATETIME:
	case XP_DATE:
		if (in->type == XP_DATETIME && to == XP_DATE) {
			const char *t = strchr(in->v.str, 'T');
			size_t dn = t ? (size_t)(t - in->v.str) : strlen(in->v.str);
			s = xp_strndup(&r->pool, in->v.str, dn);
			return xp_cast(r, &(struct xp_item){ .type = XP_STRING, .v.str = s }, XP_DATE, out);
		}
		if (!is_stringlike(in->type))
			goto bad;
		s = trim(in->v.str, &n);
		if (parse_datetime(s, n, to == XP_DATETIME, &res.secs, &res.has_tz) < 0)
			goto bad;
		res.v.str = xp_strndup(&r->pool, s, n);
		break;
	case XP_QNAME:
		goto bad;
	case XP_NODE:
		goto bad;
	}
	*out = res;
	return 0;
bad:
	if (r)
		xp_error(r, "cannot cast %s '%s' to %s", xp_type_name(in->type),
			atomic_string(r, in), xp_type_name(to));
	return -1;
}

int xp_castable(struct xp_run *r, const struct xp_item *in, enum xp_type to)
{
	struct xp_mark m = xp_pool_mark(&r->pool);
	char saved[sizeof(r->error)];
	struct xp_item out;
	int ok;

	memcpy(saved, r->error, sizeof(saved));
	ok = xp_cast(r, in, to, &out) == 0;
	memcpy(r->error, saved, sizeof(saved));
	xp_pool_reset(&r->pool, m);
	return ok;
}

double xp_item_number(struct xp_run *r, const struct xp_item *it)
{
	struct xp_item out;
	char saved[sizeof(r->error)];

	if (it->type == XP_INTEGER)
		return (double)it->v.i;
	if (it->type == XP_DECIMAL || it->type == XP_DOUBLE)
		return it->v.d;
	memcpy(saved, r->error, sizeof(saved));
	if (xp_cast(r, it, XP_DOUBLE, &out) < 0) {
		memcpy(r->error, saved, sizeof(saved));
		return NAN;
	}
	return out.v.d;
}

static int cmp_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return 3;   /* unordered: every comparison but != is false */
	return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * Compares two atomic values.  general: the rules of general comparison
 * (untypedAtomic takes the other operand's type, and is compared as a
 * double against numbers); else value comparison (untypedAtomic is a
 * string).  *result: -1, 0, 1, or 3 for unordered (NaN).
 */
int xp_compare_atomic(struct xp_run *r, const struct xp_item *a, const struct xp_item *b,
	int general, int *result)
{
	struct xp_item x = *a, y = *b;

	if (x.type == XP_UNTYPED && y.type == XP_UNTYPED) {
		x.type = y.type = XP_STRING;
	} else if (x.type == XP_UNTYPED || y.type == XP_UNTYPED) {
		struct xp_item *u = x.type == XP_UNTYPED ? &x : &y;
		const struct xp_item *o = x.type == XP_UNTYPED ? &y : &x;
		enum xp_type to = !general ? XP_STRING : xp_is_numeric(o->type) ? XP_DOUBLE :
			o->type == XP_ANYURI ? XP_STRING : o->type;
		if (to == XP_STRING) {
			u->type = XP_STRING;
		} else if (xp_cast(r, u, to, u) < 0) {
			return -1;
		}
	}
	if (is_stringlike(x.type) && is_stringlike(y.type)) {
		int c = strcmp(x.v.str, y.v.str);
		*result = c < 0 ? -1 : c > 0;
		return 0;
	}
	if (xp_is_numeric(x.type) && xp_is_numeric(y.type)) {
		if (x.type == XP_INTEGER && y.type == XP_INTEGER) {
			*result = x.v.i < y.v.i ? -1 : x.v.i > y.v.i;
			return 0;
		}
		*result = cmp_double(xp_item_number(r, &x), xp_item_number(r, &y));
		return 0;
	}
	if (x.type == XP_BOOLEAN && y.type == XP_BOOLEAN) {
		*result = x.v.b - y.v.b;
		return 0;
	}
	if ((x.type == XP_DATETIME || x.type == XP_DATE) && x.type == y.type) {
		*result = cmp_double(x.secs, y.secs);
		return 0;
	}
	if (x.type == XP_QNAME && y.type == XP_QNAME) {
		int same = strcmp(x.v.str, y.v.str) == 0 &&
			strcmp(x.uri ? x.uri : "", y.uri ? y.uri : "") == 0;
		*result = same ? 0 : 3;
		return 0;
	}
	return xp_error(r, "cannot compare %s with %s", xp_type_name(x.type), xp_type_name(y.type));
}
