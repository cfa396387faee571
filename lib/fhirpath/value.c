/*
 * value: the system values of FHIRPath: decimals with their scale, dates,
 * dateTimes and times with partial precision and offsets, quantities; their
 * text forms, comparison, equality and equivalence, and date arithmetic.
 *
 * Decimals are doubles with the count of digits written after the point
 * (scale); a computed quotient has scale -1.  Equality allows for the
 * rounding of binary doubles; equivalence rounds to the lesser scale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/calendar.h"
#include "fhirpath/fp_int.h"

static int digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int k, v = 0;

	for (k = 0; k < n; k++, (*i)++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	*out = v;
	return 0;
}

/* Time of day hh[:mm[:ss[.f+]]] from s[*i]. */
static int time_part(const char *s, size_t len, size_t *i, struct fhirpath_dt *dt)
{
	if (digits(s, len, i, 2, &dt->hour) || dt->hour > 23)
		return -1;
	dt->prec = FHIRPATH_PREC_HOUR;
	if (*i < len && s[*i] == ':') {
		(*i)++;
		if (digits(s, len, i, 2, &dt->minute) || dt->minute > 59)
			return -1;
		dt->prec = FHIRPATH_PREC_MINUTE;
		if (*i < len && s[*i] == ':') {
			(*i)++;
			if (digits(s, len, i, 2, &dt->second) || dt->second > 59)
				return -1;
			dt->prec = FHIRPATH_PREC_SECOND;
			if (*i < len && s[*i] == '.') {
				int k = 0, ms = 0;
				(*i)++;
				while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
					if (k < 3)
						ms = ms * 10 + (s[*i] - '0');
					k++;
					(*i)++;
				}
				if (!k)
					return -1;
				for (k = k < 3 ? k : 3; k < 3; k++)
					ms *= 10;
				dt->ms = ms;
				dt->prec = FHIRPATH_PREC_MS;
			}
		}
	}
	return 0;
}

int fp_parse_dt(const char *s, size_t len, int kind, struct fhirpath_dt *dt)
{
	size_t i = 0, fstart;

	memset(dt, 0, sizeof(*dt));
	dt->month = dt->day = 1;
	if (kind == FHIRPATH_TIME) {
		if (i < len && s[i] == 'T')
			i++;
		if (time_part(s, len, &i, dt))
			return -1;
		goto frac;
	}
	if (digits(s, len, &i, 4, &dt->year))
		return -1;
	dt->prec = FHIRPATH_PREC_YEAR;
	if (i < len && s[i] == '-') {
		i++;
		if (digits(s, len, &i, 2, &dt->month) || dt->month < 1 || dt->month > 12)
			return -1;
		dt->prec = FHIRPATH_PREC_MONTH;
		if (i < len && s[i] == '-') {
			i++;
			if (digits(s, len, &i, 2, &dt->day) || dt->day < 1 ||
				dt->day > calendar_days_in_month(dt->year, dt->month))
				return -1;
			dt->prec = FHIRPATH_PREC_DAY;
		}
	}
	if (i < len && s[i] == 'T') {
		if (kind == FHIRPATH_DATE)
			return -1;
		i++;
		if (i < len && time_part(s, len, &i, dt))
			return -1;
		if (i < len && s[i] == 'Z') {
			dt->tz = 2;
			i++;
		} else if (i < len && (s[i] == '+' || s[i] == '-')) {
			int h, m, neg = s[i] == '-';
			i++;
			if (digits(s, len, &i, 2, &h) || i >= len || s[i] != ':')
				return -1;
			i++;
			if (digits(s, len, &i, 2, &m) || h > 14 || m > 59)
				return -1;
			dt->tz = 1;
			dt->tz_min = (short)((neg ? -1 : 1) * (h * 60 + m));
		}
	}
frac:
	if (i != len)
		return -1;
	/* The digits of the fraction as written, for the text form. */
	fstart = 0;
	while (fstart < len && s[fstart] != '.')
		fstart++;
	if (fstart < len) {
		size_t k = fstart + 1;
		while (k < len && s[k] >= '0' && s[k] <= '9')
			k++;
		dt->frac = (unsigned char)(k - fstart - 1);
	}
	return 0;
}

int fp_parse_decimal(const char *s, size_t len, double *d, int *scale)
{
	char buf[64];
	size_t i = 0;
	int sc = 0, seen = 0, dot = 0;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	if (s[0] == '-' || s[0] == '+')
		i++;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			seen = 1;
			sc += dot;
		} else if (s[i] == '.' && !dot) {
			dot = 1;
			if (i + 1 >= len)
				return -1;
		} else {
			return -1;
		}
	}
	if (!seen)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*d = strtod(buf, NULL);
	*scale = sc;
	return 0;
}

int fp_parse_quantity(struct fp_eval *ev, const char *s, size_t len, fp_val *out)
{
	size_t i = 0, nend;
	const char *u;

	memset(out, 0, sizeof(*out));
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	nend = i;
	if (fp_parse_decimal(s, nend, &out->d, &out->scale) != 0)
		return -1;
	out->kind = FHIRPATH_QUANTITY;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len) {
		out->s = "1";
		out->len = 1;
		return 0;
	}
	if (s[i] == '\'') {
		const char *e = memchr(s + i + 1, '\'', len - i - 1);
		if (!e || (size_t)(e - s) != len - 1)
			return -1;
		out->s = arena_strndup(ev->arena, s + i + 1, (size_t)(e - s - i - 1));
		out->len = strlen(out->s);
		return out->s ? 0 : -1;
	}
	u = arena_strndup(ev->arena, s + i, len - i);
	if (!u || !fp_calendar_ucum(u))
		return -1;
	out->s = u;
	out->len = strlen(u);
	out->calendar = 1;
	return 0;
}

char *fp_format_dec(struct arena *a, double d, int scale)
{
	char buf[64];

	if (d == 0)
		d = 0;  /* a decimal has no negative zero: -(0.0) is 0.0 */

	if (scale >= 0) {
		snprintf(buf, sizeof(buf), "%.*f", scale > 30 ? 30 : scale, d);
	} else {
		char *p;
		snprintf(buf, sizeof(buf), "%.15g", d);
		if (strchr(buf, 'e'))
			snprintf(buf, sizeof(buf), "%.8f", d);
		p = strchr(buf, '.');
		if (p) {
			char *e = buf + strlen(buf) - 1;
			while (e > p && *e == '0')
				*e-- = '\0';
			if (e == p)
				*e = '\0';
		}
	}
	return arena_strdup(a, buf);
}

static void format_time(char *buf, size_t size, const struct fhirpath_dt *dt)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%02d", dt->hour);
	if (dt->prec >= FHIRPATH_PREC_MINUTE) {
		n = strlen(buf);
		snprintf(buf + n, size - n, ":%02d", dt->minute);
	}
	if (dt->prec >= FHIRPATH_PREC_SECOND) {
		n = strlen(buf);
		snprintf(buf + n, size - n, ":%02d", dt->second);
	}
	if (dt->prec >= FHIRPATH_PREC_MS) {
		int f = dt->frac ? dt->frac : 3;
		n = strlen(buf);
		if (f >= 3)
			snprintf(buf + n, size - n, ".%03d", dt->ms);
		else if (f == 2)
			snprintf(buf + n, size - n, ".%02d", dt->ms / 10);
		else
			snprintf(buf + n, size - n, ".%d", dt->ms / 100);
	}
}

static void format_dt(char *buf, size_t size, const fp_val *v)
{
	const struct fhirpath_dt *dt = &v->dt;
	size_t n;

	buf[0] = '\0';
	if (v->kind == FHIRPATH_TIME) {
		format_time(buf, size, dt);
		return;
	}
	snprintf(buf, size, "%04d", dt->year);
	if (dt->prec >= FHIRPATH_PREC_MONTH) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "-%02d", dt->month);
	}
	if (dt->prec >= FHIRPATH_PREC_DAY) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "-%02d", dt->day);
	}
	if (v->kind == FHIRPATH_DATE || dt->prec < FHIRPATH_PREC_HOUR)
		return;
	n = strlen(buf);
	snprintf(buf + n, size - n, "T");
	format_time(buf, size, dt);
	n = strlen(buf);
	if (dt->tz == 2)
		snprintf(buf + n, size - n, "Z");
	else if (dt->tz == 1)
		snprintf(buf + n, size - n, "%c%02d:%02d", dt->tz_min < 0 ? '-' : '+',
			abs(dt->tz_min) / 60, abs(dt->tz_min) % 60);
}

const char *fp_format(struct arena *a, const fp_val *v)
{
	char buf[96];

	switch (v->kind) {
	case FHIRPATH_NODE:
		if (!v->node->value)
			return NULL;
		if (v->node->kind == FHIR_K_COMPLEX || v->node->kind == FHIR_K_RESOURCE)
			return NULL;
		return arena_strndup(a, v->node->value, v->node->value_len ?
			v->node->value_len : strlen(v->node->value));
	case FHIRPATH_BOOLEAN:
		return v->i ? "true" : "false";
	case FHIRPATH_INTEGER:
		return arena_printf(a, "%lld", v->i);
	case FHIRPATH_DECIMAL:
		return fp_format_dec(a, v->d, v->scale);
	case FHIRPATH_STRING:
	case FHIRPATH_TYPEINFO:
		return arena_strndup(a, v->s, v->len);
	case FHIRPATH_DATE:
	case FHIRPATH_DATETIME:
	case FHIRPATH_TIME:
		format_dt(buf, sizeof(buf), v);
		return arena_strdup(a, buf);
	case FHIRPATH_QUANTITY:
		return arena_printf(a, v->calendar ? "%s %s" : "%s '%s'",
			fp_format_dec(a, v->d, v->scale), v->s);
	}
	return NULL;
}

const char *fhirpath_value_string(struct arena *a, const struct fhirpath_value *v)
{
	return fp_format(a, v);
}

int fp_to_ll(double d, long long *out)
{
	if (isnan(d) || d >= 9.2e18 || d <= -9.2e18)
		return 0;
	*out = (long long)trunc(d);
	return 1;
}

/* ---- from tree nodes ---- */

static int is_quantity_type(const char *t)
{
	static const char *q[] = { "Quantity", "Age", "Duration", "Distance", "Count",
		"SimpleQuantity", "MoneyQuantity", NULL };
	int i;

	for (i = 0; q[i]; i++)
		if (strcmp(t, q[i]) == 0)
			return 1;
	return 0;
}

int fp_prim(struct fp_eval *ev, const fp_val *in, fp_val *out)
{
	const struct fhir_node *n = in->node;
	const char *t = in->ftype, *s;
	size_t len;

	*out = *in;
	if (in->kind != FHIRPATH_NODE)
		return 1;
	if (n->kind == FHIR_K_COMPLEX && t && is_quantity_type(t)) {
		const struct fhir_node *v = fp_child(n, "value"), *c = fp_child(n, "code"),
			*u = fp_child(n, "unit");
		memset(out, 0, sizeof(*out));
		if (!v || !v->value || fp_parse_decimal(v->value, strlen(v->value), &out->d,
			&out->scale) != 0)
			return 0;
		out->kind = FHIRPATH_QUANTITY;
		out->s = c && c->value ? c->value : u && u->value ? u->value : "1";
		out->len = strlen(out->s);
		return 1;
	}
	if (n->kind == FHIR_K_COMPLEX || n->kind == FHIR_K_RESOURCE ||
		n->kind == FHIR_K_GENERIC)
		return n->kind == FHIR_K_GENERIC && n->value ? (out->kind = FHIRPATH_STRING,
			out->s = n->value, out->len = strlen(n->value), 1) : 2;
	if (!n->value)
		return 0;
	s = n->value;
	len = n->value_len ? n->value_len : strlen(s);
	memset(out, 0, sizeof(*out));
	if (!t)
		t = "string";
	if (strcmp(t, "boolean") == 0) {
		out->kind = FHIRPATH_BOOLEAN;
		out->i = len == 4 && memcmp(s, "true", 4) == 0;
	} else if (strcmp(t, "integer") == 0 || strcmp(t, "positiveInt") == 0 ||
		strcmp(t, "unsignedInt") == 0 || strcmp(t, "integer64") == 0) {
		out->kind = FHIRPATH_INTEGER;
		out->i = strtoll(s, NULL, 10);
	} else if (strcmp(t, "decimal") == 0) {
		out->kind = FHIRPATH_DECIMAL;
		if (fp_parse_decimal(s, len, &out->d, &out->scale) != 0)
			return 0;
	} else if (strcmp(t, "date") == 0 || strcmp(t, "dateTime") == 0 ||
		strcmp(t, "instant") == 0) {
		out->kind = t[4] ? FHIRPATH_DATETIME : FHIRPATH_DATE;
		if (fp_parse_dt(s, len, FHIRPATH_DATETIME, &out->dt) != 0)
			return 0;
	} else if (strcmp(t, "time") == 0) {
		out->kind = FHIRPATH_TIME;
		if (fp_parse_dt(s, len, FHIRPATH_TIME, &out->dt) != 0)
			return 0;
	} else {
		out->kind = FHIRPATH_STRING;
		out->s = s;
		out->len = len;
	}
	(void)ev;
	return 1;
}

/* ---- dates ---- */

/* Is day (from 1970-01-01) in the years 1 to 9999 FHIRPath dates have? */
static int in_date_range(long long day)
{
	return day >= calendar_days_from_civil(1, 1, 1) &&
		day <= calendar_days_from_civil(9999, 12, 31);
}

/* dt's date moved to day (days from 1970-01-01). */
static void set_date(struct fhirpath_dt *dt, long long day)
{
	long long y;

	calendar_civil_from_days(day, &y, &dt->month, &dt->day);
	dt->year = (int)y;
}

/* Shifts dt by ms milliseconds (date and time fields). */
static void shift_ms(struct fhirpath_dt *dt, long long ms, int has_date)
{
	long long day = has_date ? calendar_days_from_civil(dt->year, dt->month, dt->day) : 0;
	long long t = ((long long)dt->hour * 3600 + dt->minute * 60 + dt->second) * 1000 +
		dt->ms + ms;
	long long dd = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);

	t -= dd * 86400000;
	day += dd;
	if (has_date)
		set_date(dt, day);
	dt->hour = (int)(t / 3600000);
	dt->minute = (int)(t / 60000 % 60);
	dt->second = (int)(t / 1000 % 60);
	dt->ms = (int)(t % 1000);
}

static int dt_compare(const fp_val *a, const fp_val *b)
{
	struct fhirpath_dt x = a->dt, y = b->dt;
	int pa = x.prec == FHIRPATH_PREC_MS ? FHIRPATH_PREC_SECOND : x.prec;
	int pb = y.prec == FHIRPATH_PREC_MS ? FHIRPATH_PREC_SECOND : y.prec;
	int p = pa < pb ? pa : pb, lvl, start;
	int is_time = a->kind == FHIRPATH_TIME;
	long long fx[7], fy[7];

	if ((a->kind == FHIRPATH_TIME) != (b->kind == FHIRPATH_TIME))
		return 3;
	if (p >= FHIRPATH_PREC_HOUR && (x.tz || y.tz)) {
		if (!x.tz || !y.tz)
			return 2;
		shift_ms(&x, -(long long)x.tz_min * 60000, 1);
		shift_ms(&y, -(long long)y.tz_min * 60000, 1);
	}
	fx[1] = x.year; fx[2] = x.month; fx[3] = x.day; fx[4] = x.hour; fx[5] = x.minute;
	fx[6] = (long long)x.second * 1000 + x.ms;
	fy[1] = y.year; fy[2] = y.month; fy[3] = y.day; fy[4] = y.hour; fy[5] = y.minute;
	fy[6] = (long long)y.second * 1000 + y.ms;
	start = is_time ? FHIRPATH_PREC_HOUR : FHIRPATH_PREC_YEAR;
	for (lvl = start; lvl <= p; lvl++)
		if (fx[lvl] != fy[lvl])
			return fx[lvl] < fy[lvl] ? -1 : 1;
	return pa == pb ? 0 : 2;
}

static int is_date(const fp_val *v)
{
	return v->kind == FHIRPATH_DATE || v->kind == FHIRPATH_DATETIME;
}

static int str_cmp(const fp_val *a, const fp_val *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);

	if (c)
		return c < 0 ? -1 : 1;
	return a->len == b->len ? 0 : a->len < b->len ? -1 : 1;
}

int fp_compare(struct fp_eval *ev, const fp_val *a0, const fp_val *b0)
{
	fp_val a, b;

	if (fp_prim(ev, a0, &a) != 1 || fp_prim(ev, b0, &b) != 1)
		return 3;
	if (fp_is_num(&a) && fp_is_num(&b)) {
		if (a.kind == FHIRPATH_INTEGER && b.kind == FHIRPATH_INTEGER)
			return a.i == b.i ? 0 : a.i < b.i ? -1 : 1;
		if (fabs(fp_num(&a) - fp_num(&b)) <= 1e-12 * fmax(1.0, fabs(fp_num(&a))))
			return 0;
		return fp_num(&a) < fp_num(&b) ? -1 : 1;
	}
	if (a.kind == FHIRPATH_STRING && b.kind == FHIRPATH_STRING)
		return str_cmp(&a, &b);
	if ((is_date(&a) && is_date(&b)) ||
		(a.kind == FHIRPATH_TIME && b.kind == FHIRPATH_TIME))
		return dt_compare(&a, &b);
	if (a.kind == FHIRPATH_QUANTITY && b.kind == FHIRPATH_QUANTITY)
		return fp_qty_compare(&a, &b);
	return 3;
}

static int node_equal(const struct fhir_node *a, const struct fhir_node *b)
{
	const struct fhir_node *x, *y;

	if (strcmp(a->name, b->name) != 0)
		return 0;
	if ((a->value == NULL) != (b->value == NULL) ||
		(a->value && strcmp(a->value, b->value) != 0))
		return 0;
	for (x = a->children, y = b->children; x && y; x = x->next, y = y->next)
		if (!node_equal(x, y))
			return 0;
	return !x && !y;
}

int fp_equal(struct fp_eval *ev, const fp_val *a0, const fp_val *b0)
{
	fp_val a, b;
	int ra = fp_prim(ev, a0, &a), rb = fp_prim(ev, b0, &b), c;

	if (ra == 2 && rb == 2)
		return node_equal(a.node, b.node);
	if (ra != 1 || rb != 1)
		return ra == 0 || rb == 0 ? -1 : 0;
	if (a.kind == FHIRPATH_BOOLEAN && b.kind == FHIRPATH_BOOLEAN)
		return a.i == b.i;
	if (a.kind == FHIRPATH_TYPEINFO || b.kind == FHIRPATH_TYPEINFO)
		return a.kind == b.kind && str_cmp(&a, &b) == 0;
	c = fp_compare(ev, &a, &b);
	if (c == 3) {
		/* A Date and a Time, a string and a number: simply not equal. */
		return 0;
	}
	if (c == 2)
		return (a.kind == FHIRPATH_QUANTITY && (fp_qty_big_unit(&a) || fp_qty_big_unit(&b))) ||
			a.kind != FHIRPATH_QUANTITY ? -1 : 0;
	return c == 0;
}

/* Lower case with runs of white space as one space, for string ~. */
static int str_equiv(const fp_val *a, const fp_val *b)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a->len && a->s[i] == ' ' && (i == 0 || a->s[i - 1] == ' '))
			i++;
		while (j < b->len && b->s[j] == ' ' && (j == 0 || b->s[j - 1] == ' '))
			j++;
		if (i >= a->len || j >= b->len)
			break;
		{
			int ca = a->s[i], cb = b->s[j];
			if (ca == '\t' || ca == '\n' || ca == '\r')
				ca = ' ';
			if (cb == '\t' || cb == '\n' || cb == '\r')
				cb = ' ';
			if (ca >= 'A' && ca <= 'Z')
				ca += 32;
			if (cb >= 'A' && cb <= 'Z')
				cb += 32;
			if (ca != cb)
				return 0;
		}
		i++;
		j++;
	}
	while (i < a->len && (a->s[i] == ' ' || a->s[i] == '\t' || a->s[i] == '\n'))
		i++;
	while (j < b->len && (b->s[j] == ' ' || b->s[j] == '\t' || b->s[j] == '\n'))
		j++;
	return i >= a->len && j >= b->len;
}

static double round_to(double v, int scale)
{
	double f = pow(10, scale);
	return round(v * f) / f;
}

int fp_equiv(struct fp_eval *ev, const fp_val *a0, const fp_val *b0)
{
	fp_val a, b;
	int ra = fp_prim(ev, a0, &a), rb = fp_prim(ev, b0, &b);

	if (ra == 2 && rb == 2)
		return node_equal(a.node, b.node);
	if (ra != 1 || rb != 1)
		return ra == rb;
	if (a.kind == FHIRPATH_STRING && b.kind == FHIRPATH_STRING)
		return str_equiv(&a, &b);
	if (fp_is_num(&a) && fp_is_num(&b)) {
		int sa = a.kind == FHIRPATH_INTEGER ? 0 : a.scale;
		int sb = b.kind == FHIRPATH_INTEGER ? 0 : b.scale;
		int s = sa < 0 ? sb : sb < 0 ? sa : sa < sb ? sa : sb;
		if (s < 0)
			s = 8;
		return fabs(round_to(fp_num(&a), s) - round_to(fp_num(&b), s)) < 1e-12;
	}
	if ((is_date(&a) && is_date(&b)) ||
		(a.kind == FHIRPATH_TIME && b.kind == FHIRPATH_TIME))
		return dt_compare(&a, &b) == 0;
	if (a.kind == FHIRPATH_QUANTITY && b.kind == FHIRPATH_QUANTITY) {
		double va, vb;
		struct ucum_unit ua, ub;
		int s;
		if (fp_qty_canon(&a, &va, &ua) != 0 || fp_qty_canon(&b, &vb, &ub) != 0 ||
			!fp_units_comparable(&ua, &ub))
			return 0;
		/* Compare in a's unit, to the lesser precision of the two. */
		ucum_from_canonical(&vb, vb, &ua);
		s = a.scale < b.scale ? a.scale : b.scale;
		if (s < 0)
			s = 8;
		return fabs(round_to(a.d, s) - round_to(vb, s)) < 1e-12;
	}
	return fp_equal(ev, &a, &b) == 1;
}

/* ---- date arithmetic ---- */

int fp_dt_add(struct fp_eval *ev, const fp_val *d, const fp_val *q, int sign, fp_val *out)
{
	/* 'month' in quotes is no UCUM unit: read it as the calendar word. */
	int cal = q->calendar || fp_calendar_ucum(q->s);
	const char *u = cal ? fp_calendar_ucum(q->s) : q->s;
	long long n;
	struct fhirpath_dt *dt;

	*out = *d;
	dt = &out->dt;
	if (!u || (!cal && (strcmp(u, "a") == 0 || strcmp(u, "mo") == 0)))
		return -1;
	/* Beyond some thousands of years there is no date to land on. */
	if (!fp_to_ll(q->d, &n) || n > 1000000000LL || n < -1000000000LL)
		return -1;
	n *= sign;
	if (strcmp(u, "a") == 0 || strcmp(u, "mo") == 0) {
		long long months = strcmp(u, "a") == 0 ? n * 12 : n;
		long long m;
		if (d->kind == FHIRPATH_TIME)
			return -1;
		if (dt->prec < FHIRPATH_PREC_MONTH)
			months = months / 12 * 12;
		m = (long long)dt->year * 12 + (dt->month - 1) + months;
		if (m < 0 || m >= 10000 * 12)
			return -1;
		dt->year = (int)(m >= 0 ? m / 12 : -((-m + 11) / 12));
		dt->month = (int)(m - (long long)dt->year * 12) + 1;
		if (dt->day > calendar_days_in_month(dt->year, dt->month))
			dt->day = calendar_days_in_month(dt->year, dt->month);
		return 0;
	}
	{
		long long ms;
		if (strcmp(u, "wk") == 0)
			ms = n * 7 * 86400000LL;
		else if (strcmp(u, "d") == 0)
			ms = n * 86400000LL;
		else if (strcmp(u, "h") == 0)
			ms = n * 3600000LL;
		else if (strcmp(u, "min") == 0)
			ms = n * 60000LL;
		else if (strcmp(u, "s") == 0)
			ms = n * 1000LL;
		else if (strcmp(u, "ms") == 0)
			ms = n;
		else
			return -1;
		if (d->kind == FHIRPATH_TIME && ms % 86400000LL == 0 && ms)
			return -1;
		/* A value without the unit's precision takes whole units of its own. */
		if (d->kind != FHIRPATH_TIME && dt->prec <= FHIRPATH_PREC_DAY) {
			long long days = ms / 86400000LL, to;
			if (dt->prec < FHIRPATH_PREC_DAY)
				return days ? -1 : 0;
			to = calendar_days_from_civil(dt->year, dt->month, dt->day) + days;
			if (!in_date_range(to))
				return -1;
			set_date(dt, to);
			return 0;
		}
		if (d->kind != FHIRPATH_TIME &&
			!in_date_range(calendar_days_from_civil(dt->year, dt->month, dt->day) +
				ms / 86400000LL))
			return -1;
		shift_ms(dt, ms, d->kind != FHIRPATH_TIME);
	}
	(void)ev;
	return 0;
}
