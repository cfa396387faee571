/*
 * func: the XPath 2.0 function library (the fn: namespace), as far as
 * Schematron rule sets use it.  Strings are UTF-8; lengths and positions
 * count characters, not bytes.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "xpath2/ast.h"

#define FN_ARGS const struct xp_expr *call, struct xp_run *r, const struct xp_item *ctx, \
	size_t pos, size_t size, const struct xp_var *vars, struct xp_seq *out

static int arg(FN_ARGS, size_t i, struct xp_seq *s)
{
	(void)out;
	return xp_eval_full(call->args[i], r, ctx, pos, size, vars, s);
}

/* An argument of type xs:string? : "" for the empty sequence. */
static int arg_str(FN_ARGS, size_t i, const char **s)
{
	struct xp_seq q;

	if (arg(call, r, ctx, pos, size, vars, out, i, &q) < 0)
		return -1;
	if (q.n == 0) {
		*s = "";
		return 0;
	}
	if (q.n > 1)
		return xp_error(r, "%s(): argument %zu is a sequence of %zu items", call->name, i + 1, q.n);
	*s = xp_item_string(r, &q.items[0]);
	return 0;
}

/* An optional argument: *s NULL for the empty sequence. */
static int arg_str_opt(FN_ARGS, size_t i, const char **s)
{
	struct xp_seq q;

	if (arg(call, r, ctx, pos, size, vars, out, i, &q) < 0)
		return -1;
	if (q.n == 0) {
		*s = NULL;
		return 0;
	}
	if (q.n > 1)
		return xp_error(r, "%s(): argument %zu is a sequence of %zu items", call->name, i + 1, q.n);
	*s = xp_item_string(r, &q.items[0]);
	return 0;
}

static int arg_num(FN_ARGS, size_t i, double *d, int *empty)
{
	struct xp_seq q;

	if (arg(call, r, ctx, pos, size, vars, out, i, &q) < 0 || xp_atomize(r, &q, &q) < 0)
		return -1;
	*empty = q.n == 0;
	if (q.n > 1)
		return xp_error(r, "%s(): argument %zu is a sequence of %zu items", call->name, i + 1, q.n);
	*d = q.n ? xp_item_number(r, &q.items[0]) : NAN;
	return 0;
}

/* The context node for functions whose argument defaults to ".". */
static int arg_node_opt(FN_ARGS, size_t i, xmlNode **n)
{
	struct xp_seq q;

	*n = NULL;
	if (call->nargs <= i) {
		if (!ctx)
			return xp_error(r, "%s(): no context item", call->name);
		if (ctx->type != XP_NODE)
			return xp_error(r, "%s(): the context item is not a node", call->name);
		*n = ctx->v.node;
		return 0;
	}
	if (arg(call, r, ctx, pos, size, vars, out, i, &q) < 0)
		return -1;
	if (q.n == 0)
		return 0;
	if (q.n > 1 || q.items[0].type != XP_NODE)
		return xp_error(r, "%s(): argument is not a single node", call->name);
	*n = q.items[0].v.node;
	return 0;
}

static int ret_bool(struct xp_run *r, struct xp_seq *out, int b)
{
	return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = b != 0 });
}

static int ret_int(struct xp_run *r, struct xp_seq *out, long long i)
{
	return xp_seq_single(r, out, (struct xp_item){ .type = XP_INTEGER, .v.i = i });
}

static int ret_double(struct xp_run *r, struct xp_seq *out, double d)
{
	return xp_seq_single(r, out, (struct xp_item){ .type = XP_DOUBLE, .v.d = d });
}

static int ret_str(struct xp_run *r, struct xp_seq *out, const char *s)
{
	struct xp_item it;
	if (!s)
		return xp_error(r, "out of memory");
	xp_item_str(&it, XP_STRING, s);
	return xp_seq_single(r, out, it);
}

/* ---- UTF-8 ---- */

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Decodes one character; returns its byte length. */
static int utf8_dec(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0 && u[1]) {
		*cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
		return 2;
	}
	if ((u[0] & 0xF0) == 0xE0 && u[1] && u[2]) {
		*cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
		return 3;
	}
	if ((u[0] & 0xF8) == 0xF0 && u[1] && u[2] && u[3]) {
		*cp = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
		return 4;
	}
	*cp = u[0];
	return 1;
}

/* ---- boolean and sequence functions ---- */

static int fn_not(FN_ARGS)
{
	struct xp_seq q;
	int t;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || (t = xp_ebv(r, &q)) < 0)
		return -1;
	return ret_bool(r, out, !t);
}

static int fn_boolean(FN_ARGS)
{
	struct xp_seq q;
	int t;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || (t = xp_ebv(r, &q)) < 0)
		return -1;
	return ret_bool(r, out, t);
}

static int fn_true(FN_ARGS)
{
	return ret_bool(r, out, 1);
}

static int fn_false(FN_ARGS)
{
	return ret_bool(r, out, 0);
}

static int fn_count(FN_ARGS)
{
	struct xp_seq q;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	return ret_int(r, out, (long long)q.n);
}

static int fn_exists(FN_ARGS)
{
	struct xp_seq q;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	return ret_bool(r, out, strcmp(call->name, "exists") == 0 ? q.n > 0 : q.n == 0);
}

static int fn_data(FN_ARGS)
{
	struct xp_seq q;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	return xp_atomize(r, &q, out);
}

static int fn_reverse(FN_ARGS)
{
	struct xp_seq q;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	if (!xp_seq_alloc(r, out, q.n) && q.n)
		return -1;
	for (size_t i = 0; i < q.n; i++)
		out->items[i] = q.items[q.n - 1 - i];
	return 0;
}

static int fn_cardinality(FN_ARGS)
{
	struct xp_seq q;
	const char *n = call->name;
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	if ((strcmp(n, "exactly-one") == 0 && q.n != 1) || (strcmp(n, "zero-or-one") == 0 && q.n > 1) ||
		(strcmp(n, "one-or-more") == 0 && q.n == 0))
		return xp_error(r, "%s(): the sequence has %zu items", n, q.n);
	*out = q;
	return 0;
}

static int fn_subsequence(FN_ARGS)
{
	struct xp_seq q;
	double start, len = INFINITY;
	int empty;
	size_t i, k = 0;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 ||
		arg_num(call, r, ctx, pos, size, vars, out, 1, &start, &empty) < 0)
		return -1;
	if (call->nargs > 2 && arg_num(call, r, ctx, pos, size, vars, out, 2, &len, &empty) < 0)
		return -1;
	start = floor(start + 0.5);
	len = floor(len + 0.5);
	if (!xp_seq_alloc(r, out, q.n) && q.n)
		return -1;
	for (i = 0; i < q.n; i++) {
		double p = (double)(i + 1);
		if (p >= start && p < start + len)
			out->items[k++] = q.items[i];
	}
	out->n = k;
	return 0;
}

static int fn_index_of(FN_ARGS)
{
	struct xp_seq q, s;
	size_t i, k = 0;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || xp_atomize(r, &q, &q) < 0 ||
		arg(call, r, ctx, pos, size, vars, out, 1, &s) < 0 || xp_atomize(r, &s, &s) < 0)
		return -1;
	if (s.n != 1)
		return xp_error(r, "index-of(): the search value must be one item");
	if (!xp_seq_alloc(r, out, q.n) && q.n)
		return -1;
	for (i = 0; i < q.n; i++) {
		int c;
		char saved[sizeof(r->error)];
		memcpy(saved, r->error, sizeof(saved));
		if (xp_compare_atomic(r, &q.items[i], &s.items[0], 0, &c) < 0) {
			memcpy(r->error, saved, sizeof(saved));
			continue;
		}
		if (c == 0)
			out->items[k++] = (struct xp_item){ .type = XP_INTEGER, .v.i = (long long)(i + 1) };
	}
	out->n = k;
	return 0;
}

static int fn_distinct_values(FN_ARGS)
{
	struct xp_seq q;
	size_t i, j, k = 0;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || xp_atomize(r, &q, &q) < 0)
		return -1;
	if (!xp_seq_alloc(r, out, q.n) && q.n)
		return -1;
	for (i = 0; i < q.n; i++) {
		struct xp_item it = q.items[i];
		if (it.type == XP_UNTYPED)
			it.type = XP_STRING;
		for (j = 0; j < k; j++) {
			int c;
			char saved[sizeof(r->error)];
			memcpy(saved, r->error, sizeof(saved));
			if (xp_compare_atomic(r, &out->items[j], &it, 0, &c) < 0) {
				memcpy(r->error, saved, sizeof(saved));
				continue;
			}
			if (c == 0)
				break;
		}
		if (j == k)
			out->items[k++] = it;
	}
	out->n = k;
	return 0;
}

static int fn_position(FN_ARGS)
{
	if (!ctx)
		return xp_error(r, "position(): no context item");
	return ret_int(r, out, (long long)pos);
}

static int fn_last(FN_ARGS)
{
	if (!ctx)
		return xp_error(r, "last(): no context item");
	return ret_int(r, out, (long long)size);
}

static int fn_current(FN_ARGS)
{
	struct xp_item it;
	if (!r->current)
		return xp_error(r, "current(): no current node");
	xp_item_node(&it, r->current);
	return xp_seq_single(r, out, it);
}

/* ---- numbers ---- */

static int fn_number(FN_ARGS)
{
	struct xp_seq q;
	if (call->nargs == 0) {
		if (!ctx)
			return xp_error(r, "number(): no context item");
		return ret_double(r, out, xp_item_number(r, ctx));
	}
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || xp_atomize(r, &q, &q) < 0)
		return -1;
	if (q.n > 1)
		return xp_error(r, "number(): a sequence of %zu items", q.n);
	return ret_double(r, out, q.n ? xp_item_number(r, &q.items[0]) : NAN);
}

static int fn_rounding(FN_ARGS)
{
	struct xp_seq q;
	struct xp_item it;
	const char *n = call->name;
	double d;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || xp_atomize(r, &q, &q) < 0)
		return -1;
	if (q.n == 0)
		return 0;
	if (q.n > 1)
		return xp_error(r, "%s(): a sequence of %zu items", n, q.n);
	it = q.items[0];
	if (it.type == XP_UNTYPED && xp_cast(r, &it, XP_DOUBLE, &it) < 0)
		return -1;
	if (it.type == XP_INTEGER) {
		if (strcmp(n, "abs") == 0 && it.v.i < 0)
			it.v.i = -it.v.i;
		return xp_seq_single(r, out, it);
	}
	if (!xp_is_numeric(it.type))
		return xp_error(r, "%s(): %s is not a number", n, xp_type_name(it.type));
	d = it.v.d;
	if (strcmp(n, "round") == 0)
		d = floor(d + 0.5);
	else if (strcmp(n, "floor") == 0)
		d = floor(d);
	else if (strcmp(n, "ceiling") == 0)
		d = ceil(d);
	else
		d = fabs(d);
	it.v.d = d;
	return xp_seq_single(r, out, it);
}

static int fn_aggregate(FN_ARGS)
{
	struct xp_seq q;
	const char *n = call->name;
	size_t i;
	int all_int = 1;
	long long isum = 0;
	double sum = 0, best = 0;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || xp_atomize(r, &q, &q) < 0)
		return -1;
	if (q.n == 0) {
		if (strcmp(n, "sum") == 0)
			return ret_int(r, out, 0);
		return 0;
	}
	for (i = 0; i < q.n; i++) {
		struct xp_item it = q.items[i];
		double d;
		if (it.type == XP_UNTYPED && xp_cast(r, &it, XP_DOUBLE, &it) < 0)
			return -1;
		if (!xp_is_numeric(it.type)) {
			if ((strcmp(n, "min") == 0 || strcmp(n, "max") == 0) && it.type == XP_STRING) {
				/* strings: codepoint order */
				size_t b = 0;
				for (size_t j = 1; j < q.n; j++) {
					int c = strcmp(xp_item_string(r, &q.items[j]), xp_item_string(r, &q.items[b]));
					if ((n[1] == 'i' && c < 0) || (n[1] == 'a' && c > 0))
						b = j;
				}
				return ret_str(r, out, xp_item_string(r, &q.items[b]));
			}
			return xp_error(r, "%s(): %s is not a number", n, xp_type_name(it.type));
		}
		if (it.type != XP_INTEGER)
			all_int = 0;
		else
			isum += it.v.i;
		d = xp_item_number(r, &it);
		sum += d;
		if (i == 0 || (n[1] == 'i' && d < best) || (n[1] == 'a' && d > best) || isnan(d))
			best = d;
	}
	if (strcmp(n, "sum") == 0)
		return all_int ? ret_int(r, out, isum) : ret_double(r, out, sum);
	if (strcmp(n, "avg") == 0)
		return ret_double(r, out, sum / (double)q.n);
	if (all_int)
		return ret_int(r, out, (long long)best);
	return ret_double(r, out, best);
}

/* ---- strings ---- */

static int fn_string(FN_ARGS)
{
	const char *s;
	if (call->nargs == 0) {
		if (!ctx)
			return xp_error(r, "string(): no context item");
		return ret_str(r, out, xp_item_string(r, ctx));
	}
	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0)
		return -1;
	return ret_str(r, out, s);
}

static int fn_concat(FN_ARGS)
{
	const char **parts = xp_alloc(&r->pool, call->nargs * sizeof(*parts));
	size_t i, len = 0;
	char *s, *p;

	if (!parts)
		return xp_error(r, "out of memory");
	for (i = 0; i < call->nargs; i++) {
		if (arg_str(call, r, ctx, pos, size, vars, out, i, &parts[i]) < 0)
			return -1;
		len += strlen(parts[i]);
	}
	s = p = xp_alloc(&r->pool, len + 1);
	if (!s)
		return xp_error(r, "out of memory");
	for (i = 0; i < call->nargs; i++) {
		size_t l = strlen(parts[i]);
		memcpy(p, parts[i], l);
		p += l;
	}
	*p = '\0';
	return ret_str(r, out, s);
}

static int fn_string_join(FN_ARGS)
{
	struct xp_seq q;
	const char *sep = "";
	size_t i, len = 0, seplen;
	const char **parts;
	char *s, *p;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	if (call->nargs > 1 && arg_str(call, r, ctx, pos, size, vars, out, 1, &sep) < 0)
		return -1;
	seplen = strlen(sep);
	parts = xp_alloc(&r->pool, (q.n + 1) * sizeof(*parts));
	if (!parts)
		return xp_error(r, "out of memory");
	for (i = 0; i < q.n; i++) {
		parts[i] = xp_item_string(r, &q.items[i]);
		len += strlen(parts[i]) + seplen;
	}
	s = p = xp_alloc(&r->pool, len + 1);
	if (!s)
		return xp_error(r, "out of memory");
	for (i = 0; i < q.n; i++) {
		size_t l = strlen(parts[i]);
		if (i) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, parts[i], l);
		p += l;
	}
	*p = '\0';
	return ret_str(r, out, s);
}

static int fn_string_length(FN_ARGS)
{
	const char *s;
	if (call->nargs == 0) {
		if (!ctx)
			return xp_error(r, "string-length(): no context item");
		s = xp_item_string(r, ctx);
	} else if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0) {
		return -1;
	}
	return ret_int(r, out, (long long)utf8_len(s));
}

static int is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int fn_normalize_space(FN_ARGS)
{
	const char *s;
	char *o, *p;

	if (call->nargs == 0) {
		if (!ctx)
			return xp_error(r, "normalize-space(): no context item");
		s = xp_item_string(r, ctx);
	} else if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0) {
		return -1;
	}
	o = p = xp_alloc(&r->pool, strlen(s) + 1);
	if (!o)
		return xp_error(r, "out of memory");
	while (*s) {
		while (is_xml_space(*s))
			s++;
		if (!*s)
			break;
		if (p != o)
			*p++ = ' ';
		while (*s && !is_xml_space(*s))
			*p++ = *s++;
	}
	*p = '\0';
	return ret_str(r, out, o);
}

static int fn_case(FN_ARGS)
{
	const char *s;
	char *o;
	size_t i;
	int upper = call->name[0] == 'u';

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0)
		return -1;
	o = xp_strndup(&r->pool, s, strlen(s));
	if (!o)
		return xp_error(r, "out of memory");
	/* ASCII and Latin-1 letters (two-byte sequences C3 xx) */
	for (i = 0; o[i]; i++) {
		unsigned char c = (unsigned char)o[i];
		if (c < 0x80) {
			o[i] = (char)(upper ? toupper(c) : tolower(c));
		} else if (c == 0xC3 && o[i + 1]) {
			unsigned char d = (unsigned char)o[i + 1];
			if (upper && d >= 0xA0 && d <= 0xBE && d != 0xB7)
				o[i + 1] = (char)(d - 0x20);
			else if (!upper && d >= 0x80 && d <= 0x9E && d != 0x97)
				o[i + 1] = (char)(d + 0x20);
			i++;
		}
	}
	return ret_str(r, out, o);
}

static int fn_contains(FN_ARGS)
{
	const char *a, *b, *n = call->name;
	size_t la, lb;
	int t;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &a) < 0 ||
		arg_str(call, r, ctx, pos, size, vars, out, 1, &b) < 0)
		return -1;
	la = strlen(a);
	lb = strlen(b);
	if (strcmp(n, "contains") == 0)
		t = strstr(a, b) != NULL;
	else if (strcmp(n, "starts-with") == 0)
		t = strncmp(a, b, lb) == 0;
	else
		t = la >= lb && strcmp(a + la - lb, b) == 0;
	return ret_bool(r, out, t);
}

static int fn_substring_ba(FN_ARGS)
{
	const char *a, *b, *hit;
	int before = strcmp(call->name, "substring-before") == 0;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &a) < 0 ||
		arg_str(call, r, ctx, pos, size, vars, out, 1, &b) < 0)
		return -1;
	hit = strstr(a, b);
	if (!hit)
		return ret_str(r, out, "");
	if (before)
		return ret_str(r, out, xp_strndup(&r->pool, a, (size_t)(hit - a)));
	return ret_str(r, out, hit + strlen(b));
}

static int fn_substring(FN_ARGS)
{
	const char *s, *p, *start = NULL, *end = NULL;
	double from, len = INFINITY;
	int empty;
	double i = 1;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0 ||
		arg_num(call, r, ctx, pos, size, vars, out, 1, &from, &empty) < 0)
		return -1;
	if (call->nargs > 2 && arg_num(call, r, ctx, pos, size, vars, out, 2, &len, &empty) < 0)
		return -1;
	from = floor(from + 0.5);
	len = floor(len + 0.5);
	if (isnan(from) || isnan(len))
		return ret_str(r, out, "");
	for (p = s;; i++) {
		int in = i >= from && i < from + len;
		if (in && !start)
			start = p;
		if (!in && start && !end)
			end = p;
		if (!*p)
			break;
		{
			unsigned cp;
			p += utf8_dec(p, &cp);
		}
	}
	if (!start)
		return ret_str(r, out, "");
	if (!end)
		end = p;
	return ret_str(r, out, xp_strndup(&r->pool, start, (size_t)(end - start)));
}

static int fn_translate(FN_ARGS)
{
	const char *s, *from, *to;
	char *o, *p;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0 ||
		arg_str(call, r, ctx, pos, size, vars, out, 1, &from) < 0 ||
		arg_str(call, r, ctx, pos, size, vars, out, 2, &to) < 0)
		return -1;
	o = p = xp_alloc(&r->pool, strlen(s) * 2 + 8);
	if (!o)
		return xp_error(r, "out of memory");
	while (*s) {
		unsigned cp, fc;
		const char *f = from;
		long idx = 0, found = -1;
		s += utf8_dec(s, &cp);
		while (*f) {
			f += utf8_dec(f, &fc);
			if (fc == cp) {
				found = idx;
				break;
			}
			idx++;
		}
		if (found < 0) {
			p += utf8_put(p, cp);
		} else {
			const char *t = to;
			unsigned tc = 0;
			long k;
			for (k = 0; *t && k <= found; k++)
				t += utf8_dec(t, &tc);
			if (k == found + 1)
				p += utf8_put(p, tc);
		}
	}
	*p = '\0';
	return ret_str(r, out, o);
}

static int fn_codepoints(FN_ARGS)
{
	struct xp_seq q;
	const char *s;

	if (strcmp(call->name, "string-to-codepoints") == 0) {
		size_t n, i = 0;
		if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0)
			return -1;
		n = utf8_len(s);
		if (!xp_seq_alloc(r, out, n) && n)
			return -1;
		while (*s) {
			unsigned cp;
			s += utf8_dec(s, &cp);
			out->items[i++] = (struct xp_item){ .type = XP_INTEGER, .v.i = cp };
		}
		return 0;
	}
	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0 || xp_atomize(r, &q, &q) < 0)
		return -1;
	{
		char *o = xp_alloc(&r->pool, q.n * 4 + 1), *p = o;
		if (!o)
			return xp_error(r, "out of memory");
		for (size_t i = 0; i < q.n; i++) {
			struct xp_item it;
			if (xp_cast(r, &q.items[i], XP_INTEGER, &it) < 0)
				return -1;
			p += utf8_put(p, (unsigned long)it.v.i);
		}
		*p = '\0';
		return ret_str(r, out, o);
	}
}

static int fn_compare(FN_ARGS)
{
	const char *a, *b;
	int c;
	if (arg_str_opt(call, r, ctx, pos, size, vars, out, 0, &a) < 0 ||
		arg_str_opt(call, r, ctx, pos, size, vars, out, 1, &b) < 0)
		return -1;
	if (!a || !b)
		return 0;
	c = strcmp(a, b);
	return ret_int(r, out, c < 0 ? -1 : c > 0);
}

static int fn_iri_to_uri(FN_ARGS)
{
	const char *s;
	char *o, *p;
	static const char hex[] = "0123456789ABCDEF";
	int encode_all = strcmp(call->name, "encode-for-uri") == 0;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0)
		return -1;
	o = p = xp_alloc(&r->pool, strlen(s) * 3 + 1);
	if (!o)
		return xp_error(r, "out of memory");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int keep;
		if (encode_all)
			keep = isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
		else
			keep = c > 0x20 && c < 0x7F && !strchr("<>\"{}|\\^`", c);
		if (keep) {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return ret_str(r, out, o);
}

/* ---- regular expressions ---- */

int xp_regex_match(void *re, const char *s, size_t len, size_t start, size_t *ms, size_t *me,
	size_t *groups, int ngroups);

static void *call_regex(FN_ARGS, size_t flags_index)
{
	const char *pat, *flags = "";
	void *re;

	if (call->regex)
		return call->regex;
	if (arg_str(call, r, ctx, pos, size, vars, out, 1, &pat) < 0)
		return NULL;
	if (call->nargs > flags_index &&
		arg_str(call, r, ctx, pos, size, vars, out, flags_index, &flags) < 0)
		return NULL;
	re = xp_regex_get(r, pat, flags);
	return re;
}

static int fn_matches(FN_ARGS)
{
	const char *s;
	void *re;
	size_t ms, me;
	int m;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0)
		return -1;
	if (!(re = call_regex(call, r, ctx, pos, size, vars, out, 2)))
		return -1;
	m = xp_regex_match(re, s, strlen(s), 0, &ms, &me, NULL, 0);
	if (m < 0)
		return xp_error(r, "matches(): regular expression failed");
	return ret_bool(r, out, m > 0);
}

static int sb_put(struct xp_run *r, char **d, size_t *n, size_t *cap, const char *p, size_t c)
{
	if (*n + c + 1 > *cap) {
		size_t nc = (*n + c + 1) * 2;
		char *nd = xp_alloc(&r->pool, nc);
		if (!nd)
			return xp_error(r, "out of memory");
		memcpy(nd, *d, *n);
		*d = nd;
		*cap = nc;
	}
	memcpy(*d + *n, p, c);
	*n += c;
	return 0;
}

static int fn_replace(FN_ARGS)
{
	const char *s, *rep;
	void *re;
	size_t len, at = 0, groups[20];
	struct { char *d; size_t n, cap; } b = { NULL, 0, 0 };

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0 ||
		arg_str(call, r, ctx, pos, size, vars, out, 2, &rep) < 0)
		return -1;
	if (!(re = call_regex(call, r, ctx, pos, size, vars, out, 3)))
		return -1;
	len = strlen(s);
	b.cap = len * 2 + 64;
	b.d = xp_alloc(&r->pool, b.cap);
	if (!b.d)
		return xp_error(r, "out of memory");
#define PUT(ptr, cnt) do { if (sb_put(r, &b.d, &b.n, &b.cap, (ptr), (cnt)) < 0) return -1; } while (0)
	while (at <= len) {
		size_t ms, me;
		int m = xp_regex_match(re, s, len, at, &ms, &me, groups, 10);
		if (m < 0)
			return xp_error(r, "replace(): regular expression failed");
		if (m == 0)
			break;
		if (me == ms)
			return xp_error(r, "replace(): the pattern matches the empty string");
		PUT(s + at, ms - at);
		for (const char *q = rep; *q; q++) {
			if (*q == '\\' && (q[1] == '\\' || q[1] == '$')) {
				q++;
				PUT(q, 1);
			} else if (*q == '$' && isdigit((unsigned char)q[1])) {
				int g = q[1] - '0';
				q++;
				if (g < m && groups[2 * g] != (size_t)-1)
					PUT(s + groups[2 * g], groups[2 * g + 1] - groups[2 * g]);
			} else if (*q == '$' || *q == '\\') {
				return xp_error(r, "replace(): invalid replacement string '%s'", rep);
			} else {
				PUT(q, 1);
			}
		}
		at = me;
	}
	if (at < len)
		PUT(s + at, len - at);
#undef PUT
	b.d[b.n] = '\0';
	return ret_str(r, out, b.d);
}

static int fn_tokenize(FN_ARGS)
{
	const char *s;
	void *re;
	size_t len, at = 0, k = 0, cap = 8;
	struct xp_item *items;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &s) < 0)
		return -1;
	if (!(re = call_regex(call, r, ctx, pos, size, vars, out, 2)))
		return -1;
	len = strlen(s);
	if (len == 0)
		return 0;
	items = xp_alloc(&r->pool, cap * sizeof(*items));
	if (!items)
		return xp_error(r, "out of memory");
	for (;;) {
		size_t ms, me, end;
		int m = xp_regex_match(re, s, len, at, &ms, &me, NULL, 0);
		if (m < 0)
			return xp_error(r, "tokenize(): regular expression failed");
		if (m > 0 && me == ms)
			return xp_error(r, "tokenize(): the pattern matches the empty string");
		end = m > 0 ? ms : len;
		if (k == cap) {
			struct xp_item *ni = xp_alloc(&r->pool, cap * 2 * sizeof(*ni));
			if (!ni)
				return xp_error(r, "out of memory");
			memcpy(ni, items, k * sizeof(*ni));
			items = ni;
			cap *= 2;
		}
		xp_item_str(&items[k++], XP_STRING, xp_strndup(&r->pool, s + at, end - at));
		if (m == 0)
			break;
		at = me;
	}
	out->items = items;
	out->n = k;
	return 0;
}

/* ---- nodes and names ---- */

static int fn_name(FN_ARGS)
{
	xmlNode *n;
	const char *which = call->name;
	char *s;

	if (arg_node_opt(call, r, ctx, pos, size, vars, out, 0, &n) < 0)
		return -1;
	if (!n || (n->type != XML_ELEMENT_NODE && n->type != XML_ATTRIBUTE_NODE && n->type != XML_PI_NODE))
		return ret_str(r, out, "");
	if (strcmp(which, "local-name") == 0)
		return ret_str(r, out, (const char *)n->name);
	if (strcmp(which, "namespace-uri") == 0) {
		struct xp_item it;
		xp_item_str(&it, XP_ANYURI, n->ns && n->ns->href ? (const char *)n->ns->href : "");
		return xp_seq_single(r, out, it);
	}
	if (n->ns && n->ns->prefix) {
		s = xp_alloc(&r->pool, strlen((const char *)n->ns->prefix) + strlen((const char *)n->name) + 2);
		if (!s)
			return xp_error(r, "out of memory");
		sprintf(s, "%s:%s", (const char *)n->ns->prefix, (const char *)n->name);
		return ret_str(r, out, s);
	}
	return ret_str(r, out, (const char *)n->name);
}

static int fn_node_name(FN_ARGS)
{
	xmlNode *n;
	struct xp_item it;

	if (arg_node_opt(call, r, ctx, pos, size, vars, out, 0, &n) < 0)
		return -1;
	if (!n || (n->type != XML_ELEMENT_NODE && n->type != XML_ATTRIBUTE_NODE))
		return 0;
	xp_item_str(&it, XP_QNAME, (const char *)n->name);
	it.uri = n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
	return xp_seq_single(r, out, it);
}

static int fn_root(FN_ARGS)
{
	xmlNode *n;
	struct xp_item it;

	if (arg_node_opt(call, r, ctx, pos, size, vars, out, 0, &n) < 0)
		return -1;
	if (!n)
		return 0;
	while (n->parent && n->type != XML_DOCUMENT_NODE)
		n = n->parent;
	xp_item_node(&it, n);
	return xp_seq_single(r, out, it);
}

static int fn_resolve_qname(FN_ARGS)
{
	const char *q, *colon;
	xmlNode *el;
	xmlNs *ns;
	struct xp_item it;
	char prefix[128];

	if (arg_str_opt(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	if (!q)
		return 0;
	if (arg_node_opt(call, r, ctx, pos, size, vars, out, 1, &el) < 0)
		return -1;
	if (!el || el->type != XML_ELEMENT_NODE)
		return xp_error(r, "resolve-QName(): the second argument is not an element");
	while (is_xml_space(*q))
		q++;
	colon = strchr(q, ':');
	if (colon) {
		size_t pl = (size_t)(colon - q);
		if (pl == 0 || pl >= sizeof(prefix) || !colon[1] || strchr(colon + 1, ':'))
			return xp_error(r, "resolve-QName(): '%s' is not a QName", q);
		memcpy(prefix, q, pl);
		prefix[pl] = '\0';
		ns = xmlSearchNs(el->doc, el, (const xmlChar *)prefix);
		if (!ns)
			return xp_error(r, "resolve-QName(): no namespace is bound to prefix '%s'", prefix);
		xp_item_str(&it, XP_QNAME, colon + 1);
	} else {
		if (!*q)
			return xp_error(r, "resolve-QName(): '' is not a QName");
		ns = xmlSearchNs(el->doc, el, NULL);
		xp_item_str(&it, XP_QNAME, q);
	}
	it.uri = ns && ns->href && ns->href[0] ? (const char *)ns->href : NULL;
	/* trailing whitespace belongs to the lexical form, not the name */
	{
		size_t l = strlen(it.v.str);
		while (l > 0 && is_xml_space(it.v.str[l - 1]))
			l--;
		it.v.str = xp_strndup(&r->pool, it.v.str, l);
	}
	return xp_seq_single(r, out, it);
}

static int fn_qname_part(FN_ARGS)
{
	struct xp_seq q;
	struct xp_item it;

	if (arg(call, r, ctx, pos, size, vars, out, 0, &q) < 0)
		return -1;
	if (q.n == 0)
		return 0;
	if (q.n > 1 || q.items[0].type != XP_QNAME)
		return xp_error(r, "%s(): the argument is not a single xs:QName", call->name);
	if (strcmp(call->name, "local-name-from-QName") == 0) {
		xp_item_str(&it, XP_STRING, q.items[0].v.str);
	} else {
		if (!q.items[0].uri)
			return 0;
		xp_item_str(&it, XP_ANYURI, q.items[0].uri);
	}
	return xp_seq_single(r, out, it);
}

static int fn_doc(FN_ARGS)
{
	const char *uri;
	char path[4096], msg[512];
	xmlDoc *doc;
	struct xp_item it;
	int available = strcmp(call->name, "doc-available") == 0;

	if (arg_str_opt(call, r, ctx, pos, size, vars, out, 0, &uri) < 0)
		return -1;
	if (!uri)
		return available ? ret_bool(r, out, 0) : 0;
	/* local files only: no scheme (http:, file:, ...) */
	for (const char *c = uri; *c && *c != '/'; c++)
		if (*c == ':') {
			if (available)
				return ret_bool(r, out, 0);
			return xp_error(r, "doc(): only local files are read, not '%s'", uri);
		}
	if (uri[0] == '/' || !call->base_dir || !call->base_dir[0])
		snprintf(path, sizeof(path), "%s", uri);
	else
		snprintf(path, sizeof(path), "%s/%s", call->base_dir, uri);
	if (!call->docs)
		return xp_error(r, "doc(): no document cache");
	doc = xp_docs_get(call->docs, path, msg, sizeof(msg));
	if (available)
		return ret_bool(r, out, doc != NULL);
	if (!doc)
		return xp_error(r, "%s", msg);
	xp_item_node(&it, (xmlNode *)doc);
	return xp_seq_single(r, out, it);
}

static int fn_lang(FN_ARGS)
{
	const char *want;
	xmlNode *n;
	xmlChar *l;
	int t = 0;

	if (arg_str(call, r, ctx, pos, size, vars, out, 0, &want) < 0 ||
		arg_node_opt(call, r, ctx, pos, size, vars, out, 1, &n) < 0)
		return -1;
	if (!n)
		return ret_bool(r, out, 0);
	l = xmlNodeGetLang(n);
	if (l) {
		size_t wl = strlen(want);
		t = strncasecmp((const char *)l, want, wl) == 0 && (l[wl] == '\0' || l[wl] == '-');
		xmlFree(l);
	}
	return ret_bool(r, out, t);
}

static const struct xp_funcdef functions[] = {
	{ "abs", 1, 1, fn_rounding, 1 },
	{ "avg", 1, 1, fn_aggregate, 1 },
	{ "boolean", 1, 1, fn_boolean, 1 },
	{ "ceiling", 1, 1, fn_rounding, 1 },
	{ "codepoints-to-string", 1, 1, fn_codepoints, 1 },
	{ "compare", 2, 2, fn_compare, 1 },
	{ "concat", 2, -1, fn_concat, 1 },
	{ "contains", 2, 2, fn_contains, 1 },
	{ "count", 1, 1, fn_count, 1 },
	{ "current", 0, 0, fn_current, 0 },
	{ "data", 1, 1, fn_data, 1 },
	{ "distinct-values", 1, 1, fn_distinct_values, 1 },
	{ "doc", 1, 1, fn_doc, 1 },
	{ "doc-available", 1, 1, fn_doc, 1 },
	{ "empty", 1, 1, fn_exists, 1 },
	{ "encode-for-uri", 1, 1, fn_iri_to_uri, 1 },
	{ "ends-with", 2, 2, fn_contains, 1 },
	{ "exactly-one", 1, 1, fn_cardinality, 1 },
	{ "exists", 1, 1, fn_exists, 1 },
	{ "false", 0, 0, fn_false, 1 },
	{ "floor", 1, 1, fn_rounding, 1 },
	{ "index-of", 2, 2, fn_index_of, 1 },
	{ "iri-to-uri", 1, 1, fn_iri_to_uri, 1 },
	{ "lang", 1, 2, fn_lang, 0 },
	{ "last", 0, 0, fn_last, 0 },
	{ "local-name", 0, 1, fn_name, 0 },
	{ "local-name-from-QName", 1, 1, fn_qname_part, 1 },
	{ "lower-case", 1, 1, fn_case, 1 },
	{ "matches", 2, 3, fn_matches, 1 },
	{ "max", 1, 1, fn_aggregate, 1 },
	{ "min", 1, 1, fn_aggregate, 1 },
	{ "name", 0, 1, fn_name, 0 },
	{ "namespace-uri", 0, 1, fn_name, 0 },
	{ "namespace-uri-from-QName", 1, 1, fn_qname_part, 1 },
	{ "node-name", 1, 1, fn_node_name, 1 },
	{ "normalize-space", 0, 1, fn_normalize_space, 0 },
	{ "not", 1, 1, fn_not, 1 },
	{ "number", 0, 1, fn_number, 0 },
	{ "one-or-more", 1, 1, fn_cardinality, 1 },
	{ "position", 0, 0, fn_position, 0 },
	{ "replace", 3, 4, fn_replace, 1 },
	{ "resolve-QName", 2, 2, fn_resolve_qname, 1 },
	{ "reverse", 1, 1, fn_reverse, 1 },
	{ "root", 0, 1, fn_root, 0 },
	{ "round", 1, 1, fn_rounding, 1 },
	{ "starts-with", 2, 2, fn_contains, 1 },
	{ "string", 0, 1, fn_string, 0 },
	{ "string-join", 1, 2, fn_string_join, 1 },
	{ "string-length", 0, 1, fn_string_length, 0 },
	{ "string-to-codepoints", 1, 1, fn_codepoints, 1 },
	{ "subsequence", 2, 3, fn_subsequence, 1 },
	{ "substring", 2, 3, fn_substring, 1 },
	{ "substring-after", 2, 2, fn_substring_ba, 1 },
	{ "substring-before", 2, 2, fn_substring_ba, 1 },
	{ "sum", 1, 1, fn_aggregate, 1 },
	{ "tokenize", 2, 3, fn_tokenize, 1 },
	{ "translate", 3, 3, fn_translate, 1 },
	{ "true", 0, 0, fn_true, 1 },
	{ "upper-case", 1, 1, fn_case, 1 },
	{ "zero-or-one", 1, 1, fn_cardinality, 1 },
};

const struct xp_funcdef *xp_func_find(const char *name, size_t nargs, int *arity_error)
{
	size_t i;

	*arity_error = 0;
	for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
		const struct xp_funcdef *f = &functions[i];
		if (strcmp(f->name, name) != 0)
			continue;
		if ((int)nargs < f->min || (f->max >= 0 && (int)nargs > f->max)) {
			*arity_error = 1;
			return NULL;
		}
		return f;
	}
	return NULL;
}
