/*
 * funcs_str: conversion, string, math, boundary and date functions.
 * String functions take a single string (a string-typed element counts)
 * and fail on anything else; regular expressions are PCRE2 (regex.c).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fhirpath/funcs.h"

/* ---- conversions ---- */

enum conv { C_BOOL, C_INT, C_DEC, C_STR, C_DATE, C_DATETIME, C_TIME, C_QTY };

static int str_is(const fp_val *v, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == v->len && strncasecmp(words[i], v->s, v->len) == 0)
			return 1;
	return 0;
}

/* Converts v to the kind; 1 and *out, or 0 when it does not convert. */
static int convert(struct fp_eval *ev, enum conv to, const fp_val *v, fp_val *out)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "1", "1.0", NULL };
	static const char *const no[] = { "false", "f", "no", "n", "0", "0.0", NULL };
	const char *s;

	memset(out, 0, sizeof(*out));
	switch (to) {
	case C_BOOL:
		out->kind = FHIRPATH_BOOLEAN;
		if (v->kind == FHIRPATH_BOOLEAN) {
			out->i = v->i;
			return 1;
		}
		if (v->kind == FHIRPATH_INTEGER && (v->i == 0 || v->i == 1)) {
			out->i = v->i;
			return 1;
		}
		if (v->kind == FHIRPATH_DECIMAL && (v->d == 0 || v->d == 1)) {
			out->i = v->d == 1;
			return 1;
		}
		if (v->kind == FHIRPATH_STRING && (str_is(v, yes) || str_is(v, no))) {
			out->i = str_is(v, yes);
			return 1;
		}
		return 0;
	case C_INT:
		out->kind = FHIRPATH_INTEGER;
		if (v->kind == FHIRPATH_INTEGER || v->kind == FHIRPATH_BOOLEAN) {
			out->i = v->i;
			return 1;
		}
		if (v->kind == FHIRPATH_STRING) {
			size_t i = 0;
			char buf[32];
			if (v->len && (v->s[0] == '-' || v->s[0] == '+'))
				i++;
			if (i == v->len || v->len >= sizeof(buf))
				return 0;
			for (; i < v->len; i++)
				if (v->s[i] < '0' || v->s[i] > '9')
					return 0;
			memcpy(buf, v->s, v->len);
			buf[v->len] = '\0';
			out->i = strtoll(buf, NULL, 10);
			return 1;
		}
		return 0;
	case C_DEC:
		out->kind = FHIRPATH_DECIMAL;
		if (v->kind == FHIRPATH_DECIMAL) {
			*out = *v;
			return 1;
		}
		if (v->kind == FHIRPATH_INTEGER || v->kind == FHIRPATH_BOOLEAN) {
			out->d = (double)v->i;
			out->scale = v->kind == FHIRPATH_BOOLEAN ? 1 : 0;
			return 1;
		}
		if (v->kind == FHIRPATH_STRING)
			return fp_parse_decimal(v->s, v->len, &out->d, &out->scale) == 0;
		return 0;
	case C_STR:
		if (v->kind == FHIRPATH_NODE || v->kind == FHIRPATH_TYPEINFO)
			return 0;
		s = fp_format(ev->arena, v);
		if (!s)
			return 0;
		out->kind = FHIRPATH_STRING;
		out->s = s;
		out->len = strlen(s);
		return 1;
	case C_DATE:
		out->kind = FHIRPATH_DATE;
		if (v->kind == FHIRPATH_DATE || v->kind == FHIRPATH_DATETIME) {
			out->dt = v->dt;
			if (out->dt.prec > FHIRPATH_PREC_DAY)
				out->dt.prec = FHIRPATH_PREC_DAY;
			out->dt.tz = 0;
			return 1;
		}
		return v->kind == FHIRPATH_STRING &&
			fp_parse_dt(v->s, v->len, FHIRPATH_DATE, &out->dt) == 0;
	case C_DATETIME:
		out->kind = FHIRPATH_DATETIME;
		if (v->kind == FHIRPATH_DATE || v->kind == FHIRPATH_DATETIME) {
			out->dt = v->dt;
			return 1;
		}
		return v->kind == FHIRPATH_STRING &&
			fp_parse_dt(v->s, v->len, FHIRPATH_DATETIME, &out->dt) == 0;
	case C_TIME:
		out->kind = FHIRPATH_TIME;
		if (v->kind == FHIRPATH_TIME) {
			out->dt = v->dt;
			return 1;
		}
		return v->kind == FHIRPATH_STRING && !(v->len && v->s[0] == 'T') &&
			fp_parse_dt(v->s, v->len, FHIRPATH_TIME, &out->dt) == 0;
	case C_QTY:
		if (v->kind == FHIRPATH_QUANTITY) {
			*out = *v;
			return 1;
		}
		out->kind = FHIRPATH_QUANTITY;
		out->s = "1";
		out->len = 1;
		if (v->kind == FHIRPATH_INTEGER || v->kind == FHIRPATH_BOOLEAN) {
			out->d = (double)v->i;
			return 1;
		}
		if (v->kind == FHIRPATH_DECIMAL) {
			out->d = v->d;
			out->scale = v->scale;
			return 1;
		}
		if (v->kind == FHIRPATH_STRING)
			return fp_parse_quantity(ev, v->s, v->len, out) == 0;
		return 0;
	}
	return 0;
}

static enum conv conv_of(const char *name)
{
	const char *t = strncmp(name, "to", 2) == 0 ? name + 2 : name + 10;

	if (strcmp(t, "Boolean") == 0) return C_BOOL;
	if (strcmp(t, "Integer") == 0) return C_INT;
	if (strcmp(t, "Decimal") == 0) return C_DEC;
	if (strcmp(t, "String") == 0) return C_STR;
	if (strcmp(t, "Date") == 0) return C_DATE;
	if (strcmp(t, "DateTime") == 0) return C_DATETIME;
	if (strcmp(t, "Time") == 0) return C_TIME;
	return C_QTY;
}

/* toX() and convertsToX(), told apart by the name. */
static int f_convert(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	int asks = strncmp(n->name, "converts", 8) == 0, ok;
	enum conv to = conv_of(n->name);
	fp_val v, r;
	int got = fp_singleton(ev, n, in, &v);

	if (got < 0)
		return -1;
	if (got == 0)
		return 0;
	ok = convert(ev, to, &v, &r);
	if (ok && to == C_QTY && n->nargs == 1) {
		const char *u;
		size_t ul;
		int ra = fp_arg_string(ev, n, 0, fr, &u, &ul);
		if (ra < 0)
			return -1;
		if (ra == 1) {
			char *us = arena_strndup(ev->arena, u, ul);
			double val;
			struct ucum_unit x;
			if (us && fp_qty_canon(&r, &val, &x) == 0) {
				struct ucum_unit y;
				if (ucum_parse(&y, us, NULL, 0) == UCUM_OK && fp_units_comparable(&x, &y) &&
					ucum_from_canonical(&r.d, val, &y) == UCUM_OK) {
					r.s = us;
					r.len = ul;
					r.calendar = 0;
					r.scale = -1;
				} else {
					ok = 0;
				}
			} else {
				ok = 0;
			}
		}
	}
	if (asks)
		return fp_push_bool(ev, out, ok);
	return ok ? fp_push(ev, out, &r) : 0;
}

/* ---- strings ---- */

static int f_indexof(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s, *t;
	size_t sl, tl, i;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	if ((r = fp_arg_string(ev, n, 0, fr, &t, &tl)) <= 0)
		return r;
	for (i = 0; i + tl <= sl; i++)
		if (memcmp(s + i, t, tl) == 0)
			return fp_push_int(ev, out, (long long)i);
	return fp_push_int(ev, out, -1);
}

static int f_substring(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s;
	size_t sl;
	long long start, len;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	if ((r = fp_arg_int(ev, n, 0, fr, &start)) <= 0)
		return r;
	if (start < 0 || (size_t)start >= sl)
		return 0;
	len = (long long)sl - start;
	if (n->nargs > 1) {
		long long l;
		if ((r = fp_arg_int(ev, n, 1, fr, &l)) < 0)
			return r;
		if (r == 1 && l < len)
			len = l < 0 ? 0 : l;
	}
	return fp_push_str(ev, out, s + start, (size_t)len);
}

/* startsWith, endsWith, contains (the string function). */
static int f_strtest(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s, *t;
	size_t sl, tl, i;
	int r = fp_input_string(ev, n, in, &s, &sl), res = 0;

	if (r <= 0)
		return r;
	if ((r = fp_arg_string(ev, n, 0, fr, &t, &tl)) <= 0)
		return r;
	if (n->name[0] == 's')
		res = tl <= sl && memcmp(s, t, tl) == 0;
	else if (n->name[0] == 'e')
		res = tl <= sl && memcmp(s + sl - tl, t, tl) == 0;
	else
		for (i = 0; i + tl <= sl && !res; i++)
			res = memcmp(s + i, t, tl) == 0;
	return fp_push_bool(ev, out, res);
}

static int f_case(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s;
	char *o;
	size_t sl, i;
	int r = fp_input_string(ev, n, in, &s, &sl), up = n->name[0] == 'u';

	if (r <= 0)
		return r;
	if (!(o = arena_strndup(ev->arena, s, sl)))
		return fp_fail(ev, n, "out of memory");
	for (i = 0; i < sl; i++) {
		if (up && o[i] >= 'a' && o[i] <= 'z')
			o[i] -= 32;
		else if (!up && o[i] >= 'A' && o[i] <= 'Z')
			o[i] += 32;
	}
	return fp_push_str(ev, out, o, sl);
}

static int f_length(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s;
	size_t sl, i, count = 0;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	for (i = 0; i < sl; i++)
		count += ((unsigned char)s[i] & 0xc0) != 0x80;
	return fp_push_int(ev, out, (long long)count);
}

static int f_tochars(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s;
	size_t sl, i, k;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	for (i = 0; i < sl; i = k) {
		for (k = i + 1; k < sl && ((unsigned char)s[k] & 0xc0) == 0x80; k++)
			;
		if (fp_push_str(ev, out, s + i, k - i))
			return -1;
	}
	return 0;
}

/* What replace() and replaceMatches() take: the input string, the pattern
 * and the replacement. */
struct replacing {
	const char *s, *pat, *rep;
	size_t sl, pl, rl;
};

/* 1; 0 when the input or an argument is empty; -1 on error. */
static int replace_args(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct replacing *a)
{
	int r = fp_input_string(ev, n, in, &a->s, &a->sl);

	if (r > 0 && (r = fp_arg_string(ev, n, 0, fr, &a->pat, &a->pl)) > 0)
		r = fp_arg_string(ev, n, 1, fr, &a->rep, &a->rl);
	return r;
}

static int f_replace(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct replacing a;
	size_t i, o = 0;
	char *buf;
	int r = replace_args(ev, n, fr, in, &a);

	if (r <= 0)
		return r;
	if (!(buf = arena_alloc(ev->arena, a.sl + 1 + (a.sl + 1) * a.rl + 1)))
		return fp_fail(ev, n, "out of memory");
	if (a.pl == 0) {
		/* An empty pattern matches between every character. */
		for (i = 0; i <= a.sl; i++) {
			memcpy(buf + o, a.rep, a.rl);
			o += a.rl;
			if (i < a.sl)
				buf[o++] = a.s[i];
		}
		return fp_push_str(ev, out, buf, o);
	}
	for (i = 0; i < a.sl;) {
		if (i + a.pl <= a.sl && memcmp(a.s + i, a.pat, a.pl) == 0) {
			memcpy(buf + o, a.rep, a.rl);
			o += a.rl;
			i += a.pl;
		} else {
			buf[o++] = a.s[i++];
		}
	}
	return fp_push_str(ev, out, buf, o);
}

/* The pattern of call n: the one compiled with the expression (a literal),
 * else argument 0 compiled now into *owned, which the caller frees.  1;
 * 0 when the argument is empty; -1 on error. */
static int call_regex(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const pcre2_code **re, pcre2_code **owned)
{
	const char *pat;
	size_t pl;
	int r;

	*owned = NULL;
	if ((*re = n->regex))
		return 1;
	if ((r = fp_arg_string(ev, n, 0, fr, &pat, &pl)) <= 0)
		return r;
	if (!(*owned = fp_regex_compile(pat, pl, fp_regex_full(n))))
		return fp_fail(ev, n, "bad regular expression '%.*s'", (int)pl, pat);
	*re = *owned;
	return 1;
}

static int f_matches(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s;
	size_t sl;
	const pcre2_code *re;
	pcre2_code *owned;
	pcre2_match_data *md;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	if ((r = call_regex(ev, n, fr, &re, &owned)) <= 0)
		return r;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	r = md ? pcre2_match(re, (PCRE2_SPTR)s, sl, 0, 0, md, NULL) : -1;
	pcre2_match_data_free(md);
	pcre2_code_free(owned);
	return fp_push_bool(ev, out, r >= 0);
}

static int f_replacematches(struct fp_eval *ev, const struct fp_ast *n,
	const struct fp_frame *fr, const struct fp_coll *in, struct fp_coll *out)
{
	struct replacing a;
	PCRE2_SIZE olen;
	PCRE2_UCHAR *buf;
	const pcre2_code *re;
	pcre2_code *owned;
	int r = replace_args(ev, n, fr, in, &a);

	if (r <= 0)
		return r;
	if (a.pl == 0)
		return fp_push_str(ev, out, a.s, a.sl);
	if ((r = call_regex(ev, n, fr, &re, &owned)) <= 0)
		return r;
	olen = a.sl * (a.rl + 1) + 64;
	buf = arena_alloc(ev->arena, olen + 1);
	if (!buf) {
		pcre2_code_free(owned);
		return fp_fail(ev, n, "out of memory");
	}
	r = pcre2_substitute(re, (PCRE2_SPTR)a.s, a.sl, 0, PCRE2_SUBSTITUTE_GLOBAL, NULL, NULL,
		(PCRE2_SPTR)a.rep, a.rl, buf, &olen);
	pcre2_code_free(owned);
	if (r < 0)
		return fp_fail(ev, n, "replaceMatches() failed");
	return fp_push_str(ev, out, (const char *)buf, olen);
}

static int f_trim(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s;
	size_t sl;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	while (sl && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		sl--;
	}
	while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t' || s[sl - 1] == '\n' ||
		s[sl - 1] == '\r'))
		sl--;
	return fp_push_str(ev, out, s, sl);
}

static int f_split(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s, *sep;
	size_t sl, pl, i, start = 0;
	int r = fp_input_string(ev, n, in, &s, &sl);

	if (r <= 0)
		return r;
	if ((r = fp_arg_string(ev, n, 0, fr, &sep, &pl)) <= 0)
		return r;
	if (pl == 0)
		return fp_push_str(ev, out, s, sl);
	for (i = 0; i + pl <= sl; i++)
		if (memcmp(s + i, sep, pl) == 0) {
			if (fp_push_str(ev, out, s + start, i - start))
				return -1;
			start = i + pl;
			i += pl - 1;
		}
	return fp_push_str(ev, out, s + start, sl - start);
}

static int f_join(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *sep = "";
	size_t sepl = 0, total = 0, i, o = 0;
	char *buf;
	fp_val v;

	if (n->nargs && fp_arg_string(ev, n, 0, fr, &sep, &sepl) < 0)
		return -1;
	for (i = 0; i < in->n; i++) {
		if (fp_prim(ev, &in->v[i], &v) != 1 || v.kind != FHIRPATH_STRING)
			return fp_fail(ev, n, "join() needs strings");
		total += v.len + sepl;
	}
	if (!(buf = arena_alloc(ev->arena, total + 1)))
		return fp_fail(ev, n, "out of memory");
	for (i = 0; i < in->n; i++) {
		fp_prim(ev, &in->v[i], &v);
		if (i) {
			memcpy(buf + o, sep, sepl);
			o += sepl;
		}
		memcpy(buf + o, v.s, v.len);
		o += v.len;
	}
	return fp_push_str(ev, out, buf, o);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64val(int c, int url)
{
	const char *p;

	if (url && c == '-')
		return 62;
	if (url && c == '_')
		return 63;
	p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

/* encode() and decode() with 'base64', 'urlbase64' or 'hex'. */
static int f_codec(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *s, *how;
	size_t sl, hl, i, o = 0;
	unsigned char *buf;
	int r = fp_input_string(ev, n, in, &s, &sl), enc = n->name[0] == 'e', url, hex;

	if (r <= 0)
		return r;
	if ((r = fp_arg_string(ev, n, 0, fr, &how, &hl)) <= 0)
		return r;
	hex = hl == 3 && memcmp(how, "hex", 3) == 0;
	url = hl == 9 && memcmp(how, "urlbase64", 9) == 0;
	if (!hex && !url && !(hl == 6 && memcmp(how, "base64", 6) == 0))
		return fp_fail(ev, n, "unknown encoding '%.*s'", (int)hl, how);
	if (!(buf = arena_alloc(ev->arena, sl * 2 + 8)))
		return fp_fail(ev, n, "out of memory");
	if (enc && hex) {
		for (i = 0; i < sl; i++) {
			buf[o++] = (unsigned char)"0123456789abcdef"[(unsigned char)s[i] >> 4];
			buf[o++] = (unsigned char)"0123456789abcdef"[(unsigned char)s[i] & 15];
		}
	} else if (enc) {
		for (i = 0; i < sl; i += 3) {
			unsigned v = (unsigned char)s[i] << 16;
			if (i + 1 < sl)
				v |= (unsigned char)s[i + 1] << 8;
			if (i + 2 < sl)
				v |= (unsigned char)s[i + 2];
			buf[o++] = (unsigned char)b64[v >> 18];
			buf[o++] = (unsigned char)b64[(v >> 12) & 63];
			buf[o++] = i + 1 < sl ? (unsigned char)b64[(v >> 6) & 63] : '=';
			buf[o++] = i + 2 < sl ? (unsigned char)b64[v & 63] : '=';
		}
		if (url)
			for (i = 0; i < o; i++)
				buf[i] = buf[i] == '+' ? '-' : buf[i] == '/' ? '_' : buf[i];
	} else if (hex) {
		for (i = 0; i + 1 < sl; i += 2) {
			int a = s[i] >= 'a' ? s[i] - 'a' + 10 : s[i] >= 'A' ? s[i] - 'A' + 10 : s[i] - '0';
			int b = s[i + 1] >= 'a' ? s[i + 1] - 'a' + 10 : s[i + 1] >= 'A' ?
				s[i + 1] - 'A' + 10 : s[i + 1] - '0';
			buf[o++] = (unsigned char)(a * 16 + b);
		}
	} else {
		unsigned v = 0;
		int bits = 0, c;
		for (i = 0; i < sl && s[i] != '='; i++) {
			if ((c = b64val(s[i], url)) < 0)
				return 0;
			v = (v << 6) | (unsigned)c;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				buf[o++] = (unsigned char)((v >> bits) & 0xff);
			}
		}
	}
	buf[o] = '\0';
	return fp_push_str(ev, out, (const char *)buf, o);
}

/* escape() and unescape() with 'html' or 'json'. */
static int f_escape(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	static const struct { char c; const char *html, *json; } map[] = {
		{ '&', "&amp;", NULL }, { '<', "&lt;", NULL }, { '>', "&gt;", NULL },
		{ '"', "&quot;", "\\\"" }, { '\'', "&#39;", NULL }, { '\\', NULL, "\\\\" },
		{ '\n', NULL, "\\n" }, { '\t', NULL, "\\t" }, { '\r', NULL, "\\r" },
	};
	const char *s, *how;
	size_t sl, hl, i, k, o = 0;
	char *buf;
	int r = fp_input_string(ev, n, in, &s, &sl), esc = n->name[0] == 'e', html;

	if (r <= 0)
		return r;
	if ((r = fp_arg_string(ev, n, 0, fr, &how, &hl)) <= 0)
		return r;
	html = hl == 4 && memcmp(how, "html", 4) == 0;
	if (!html && !(hl == 4 && memcmp(how, "json", 4) == 0))
		return fp_fail(ev, n, "unknown escaping '%.*s'", (int)hl, how);
	if (!(buf = arena_alloc(ev->arena, sl * 6 + 1)))
		return fp_fail(ev, n, "out of memory");
	for (i = 0; i < sl;) {
		int done = 0;
		for (k = 0; k < sizeof(map) / sizeof(map[0]) && !done; k++) {
			const char *form = html ? map[k].html : map[k].json;
			size_t fl;
			if (!form)
				continue;
			fl = strlen(form);
			if (esc && s[i] == map[k].c) {
				memcpy(buf + o, form, fl);
				o += fl;
				i++;
				done = 1;
			} else if (!esc && i + fl <= sl && memcmp(s + i, form, fl) == 0) {
				buf[o++] = map[k].c;
				i += fl;
				done = 1;
			}
		}
		if (!done)
			buf[o++] = s[i++];
	}
	return fp_push_str(ev, out, buf, o);
}

/* ---- math ---- */

static int num_input(struct fp_eval *ev, const struct fp_ast *n, const struct fp_coll *in,
	fp_val *v)
{
	int r = fp_singleton(ev, n, in, v);

	if (r <= 0)
		return r;
	if (v->kind != FHIRPATH_INTEGER && v->kind != FHIRPATH_DECIMAL &&
		!(v->kind == FHIRPATH_QUANTITY && strcmp(n->name, "abs") == 0))
		return fp_fail(ev, n, "%s() needs a number, not %s", n->name,
			fhirpath_value_type(v));
	return 1;
}

static int f_math(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	fp_val v, a;
	int r = num_input(ev, n, in, &v);
	const char *f = n->name;
	double x;

	if (r <= 0)
		return r;
	x = fp_num(&v);
	if (strcmp(f, "abs") == 0) {
		if (v.kind == FHIRPATH_INTEGER && v.i == LLONG_MIN)
			return fp_fail(ev, n, "integer overflow");
		if (v.kind == FHIRPATH_INTEGER)
			v.i = v.i < 0 ? -v.i : v.i;
		else
			v.d = fabs(v.d);
		return fp_push(ev, out, &v);
	}
	if (strcmp(f, "ceiling") == 0 || strcmp(f, "floor") == 0 || strcmp(f, "truncate") == 0) {
		long long ll;
		double w = f[0] == 'c' ? ceil(x) : f[0] == 'f' ? floor(x) : trunc(x);
		if (!fp_to_ll(w, &ll))
			return fp_fail(ev, n, "%s(): %g is too large for an integer", f, x);
		return fp_push_int(ev, out, ll);
	}
	if (strcmp(f, "exp") == 0)
		return fp_push_dec(ev, out, exp(x), -1);
	if (strcmp(f, "ln") == 0)
		return x <= 0 ? 0 : fp_push_dec(ev, out, log(x), -1);
	if (strcmp(f, "sqrt") == 0)
		return x < 0 ? 0 : fp_push_dec(ev, out, sqrt(x), -1);
	if (strcmp(f, "round") == 0) {
		long long p = 0;
		double m;
		if (n->nargs && (r = fp_arg_int(ev, n, 0, fr, &p)) < 0)
			return r;
		if (p < 0 || p > 28)
			return fp_fail(ev, n, "round() takes a precision from 0 to 28");
		m = pow(10, (double)p);
		return fp_push_dec(ev, out, round(x * m) / m, (int)p);
	}
	if ((r = fp_arg_single(ev, n, 0, fr, &a)) <= 0)
		return r;
	if (a.kind != FHIRPATH_INTEGER && a.kind != FHIRPATH_DECIMAL)
		return fp_fail(ev, n, "%s() needs a number argument", f);
	if (strcmp(f, "log") == 0)
		return x <= 0 || fp_num(&a) <= 0 ? 0 : fp_push_dec(ev, out, log(x) / log(fp_num(&a)), -1);
	/* power */
	if (v.kind == FHIRPATH_INTEGER && a.kind == FHIRPATH_INTEGER && a.i >= 0) {
		long long ll;
		if (!fp_to_ll(pow(x, (double)a.i), &ll))
			return fp_fail(ev, n, "integer overflow");
		return fp_push_int(ev, out, ll);
	}
	return fp_push_dec(ev, out, pow(x, fp_num(&a)), -1);
}

/* ---- boundaries and precision ---- */

static int dt_digits(const fp_val *v)
{
	static const int date_digits[] = { 0, 4, 6, 8, 10, 12, 14, 17 };
	static const int time_digits[] = { 0, 0, 0, 0, 2, 4, 6, 9 };

	return v->kind == FHIRPATH_TIME ? time_digits[v->dt.prec] : date_digits[v->dt.prec];
}

static int prec_of_digits(int kind, int d)
{
	static const int date_digits[] = { 0, 4, 6, 8, 10, 12, 14, 17 };
	static const int time_digits[] = { 0, 0, 0, 0, 2, 4, 6, 9 };
	int p;

	for (p = 1; p <= FHIRPATH_PREC_MS; p++)
		if ((kind == FHIRPATH_TIME ? time_digits[p] : date_digits[p]) == d)
			return p;
	return -1;
}

static int month_len(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : md[m - 1];
}

static int f_boundary(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	int high = n->name[0] == 'h', r;
	long long p = -1;
	fp_val v;

	if ((r = fp_singleton(ev, n, in, &v)) <= 0)
		return r;
	if (n->nargs && (r = fp_arg_int(ev, n, 0, fr, &p)) <= 0)
		return r;
	if (v.kind == FHIRPATH_INTEGER || v.kind == FHIRPATH_DECIMAL ||
		v.kind == FHIRPATH_QUANTITY) {
		int s = v.kind == FHIRPATH_INTEGER ? 0 : v.scale < 0 ? 8 : v.scale;
		double x = fp_num(&v), b, m, y, ry;
		if (p < 0 && n->nargs)
			return 0;
		if (p < 0)
			p = 8;
		if (p > 28)
			return 0;
		b = high ? x + 0.5 * pow(10, -s) : x - 0.5 * pow(10, -s);
		m = pow(10, (double)p);
		y = b * m;
		ry = round(y);
		y = fabs(y - ry) < 1e-6 ? ry : high ? ceil(y) : floor(y);
		v.d = y / m;
		v.scale = (int)p;
		if (v.kind == FHIRPATH_INTEGER)
			v.kind = FHIRPATH_DECIMAL;
		return fp_push(ev, out, &v);
	}
	if (v.kind == FHIRPATH_DATE || v.kind == FHIRPATH_DATETIME || v.kind == FHIRPATH_TIME) {
		struct fhirpath_dt *d = &v.dt;
		int prec;
		if (p < 0)
			p = v.kind == FHIRPATH_DATE ? 8 : v.kind == FHIRPATH_TIME ? 9 : 17;
		prec = prec_of_digits(v.kind, (int)p);
		if (prec < 0 || (v.kind == FHIRPATH_DATE && prec > FHIRPATH_PREC_DAY))
			return 0;
		if (d->prec < FHIRPATH_PREC_MONTH)
			d->month = high ? 12 : 1;
		if (d->prec < FHIRPATH_PREC_DAY)
			d->day = high ? month_len(d->year, d->month) : 1;
		if (d->prec < FHIRPATH_PREC_HOUR)
			d->hour = high ? 23 : 0;
		if (d->prec < FHIRPATH_PREC_MINUTE)
			d->minute = high ? 59 : 0;
		if (d->prec < FHIRPATH_PREC_SECOND)
			d->second = high ? 59 : 0;
		if (d->prec < FHIRPATH_PREC_MS)
			d->ms = high ? 999 : 0;
		if (v.kind == FHIRPATH_DATETIME && prec >= FHIRPATH_PREC_HOUR && !d->tz) {
			d->tz = 1;
			d->tz_min = high ? -12 * 60 : 14 * 60;
		}
		d->prec = (unsigned char)prec;
		d->frac = 3;
		return fp_push(ev, out, &v);
	}
	return fp_fail(ev, n, "%s() needs a number, quantity or date", n->name);
}

static int f_precision(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	fp_val v;
	int r = fp_singleton(ev, n, in, &v);

	if (r <= 0)
		return r;
	if (v.kind == FHIRPATH_DECIMAL || v.kind == FHIRPATH_QUANTITY)
		return v.scale < 0 ? 0 : fp_push_int(ev, out, v.scale);
	if (v.kind == FHIRPATH_INTEGER)
		return fp_push_int(ev, out, 0);
	if (v.kind == FHIRPATH_DATE || v.kind == FHIRPATH_DATETIME || v.kind == FHIRPATH_TIME)
		return fp_push_int(ev, out, dt_digits(&v));
	return fp_fail(ev, n, "precision() needs a number or a date");
}

static int f_comparable(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	fp_val a, b;
	double x;
	struct ucum_unit ua, ub;
	int r = fp_singleton(ev, n, in, &a);

	if (r <= 0)
		return r;
	if ((r = fp_arg_single(ev, n, 0, fr, &b)) <= 0)
		return r;
	if (a.kind != FHIRPATH_QUANTITY || b.kind != FHIRPATH_QUANTITY)
		return fp_fail(ev, n, "comparable() needs quantities");
	return fp_push_bool(ev, out, fp_qty_canon(&a, &x, &ua) == 0 &&
		fp_qty_canon(&b, &x, &ub) == 0 && fp_units_comparable(&ua, &ub));
}

/* ---- now ---- */

static int f_now(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct timespec ts;
	struct tm tm;
	fp_val v;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	memset(&v, 0, sizeof(v));
	v.dt.year = tm.tm_year + 1900;
	v.dt.month = tm.tm_mon + 1;
	v.dt.day = tm.tm_mday;
	v.dt.hour = tm.tm_hour;
	v.dt.minute = tm.tm_min;
	v.dt.second = tm.tm_sec;
	v.dt.ms = (int)(ts.tv_nsec / 1000000);
	v.dt.frac = 3;
	v.dt.tz = 1;
	v.dt.tz_min = (short)(tm.tm_gmtoff / 60);
	if (n->name[0] == 'n') {
		v.kind = FHIRPATH_DATETIME;
		v.dt.prec = FHIRPATH_PREC_MS;
	} else if (n->name[0] == 't' && n->name[1] == 'o') {
		v.kind = FHIRPATH_DATE;
		v.dt.prec = FHIRPATH_PREC_DAY;
		v.dt.tz = 0;
	} else {
		v.kind = FHIRPATH_TIME;
		v.dt.prec = FHIRPATH_PREC_MS;
		v.dt.tz = 0;
	}
	return fp_push(ev, out, &v);
}

const struct fp_func fp_funcs_str[] = {
	{ "toBoolean", 0, 0, f_convert }, { "convertsToBoolean", 0, 0, f_convert },
	{ "toInteger", 0, 0, f_convert }, { "convertsToInteger", 0, 0, f_convert },
	{ "toDecimal", 0, 0, f_convert }, { "convertsToDecimal", 0, 0, f_convert },
	{ "toString", 0, 0, f_convert }, { "convertsToString", 0, 0, f_convert },
	{ "toDate", 0, 0, f_convert }, { "convertsToDate", 0, 0, f_convert },
	{ "toDateTime", 0, 0, f_convert }, { "convertsToDateTime", 0, 0, f_convert },
	{ "toTime", 0, 0, f_convert }, { "convertsToTime", 0, 0, f_convert },
	{ "toQuantity", 0, 1, f_convert }, { "convertsToQuantity", 0, 1, f_convert },
	{ "indexOf", 1, 1, f_indexof },
	{ "substring", 1, 2, f_substring },
	{ "startsWith", 1, 1, f_strtest },
	{ "endsWith", 1, 1, f_strtest },
	{ "contains", 1, 1, f_strtest },
	{ "upper", 0, 0, f_case },
	{ "lower", 0, 0, f_case },
	{ "replace", 2, 2, f_replace },
	{ "matches", 1, 1, f_matches },
	{ "matchesFull", 1, 1, f_matches },
	{ "replaceMatches", 2, 2, f_replacematches },
	{ "length", 0, 0, f_length },
	{ "toChars", 0, 0, f_tochars },
	{ "encode", 1, 1, f_codec },
	{ "decode", 1, 1, f_codec },
	{ "escape", 1, 1, f_escape },
	{ "unescape", 1, 1, f_escape },
	{ "trim", 0, 0, f_trim },
	{ "split", 1, 1, f_split },
	{ "join", 0, 1, f_join },
	{ "abs", 0, 0, f_math },
	{ "ceiling", 0, 0, f_math },
	{ "exp", 0, 0, f_math },
	{ "floor", 0, 0, f_math },
	{ "ln", 0, 0, f_math },
	{ "log", 1, 1, f_math },
	{ "power", 1, 1, f_math },
	{ "round", 0, 1, f_math },
	{ "sqrt", 0, 0, f_math },
	{ "truncate", 0, 0, f_math },
	{ "lowBoundary", 0, 1, f_boundary },
	{ "highBoundary", 0, 1, f_boundary },
	{ "precision", 0, 0, f_precision },
	{ "comparable", 1, 1, f_comparable },
	{ "now", 0, 0, f_now },
	{ "today", 0, 0, f_now },
	{ "timeOfDay", 0, 0, f_now },
	{ NULL, 0, 0, NULL }
};
