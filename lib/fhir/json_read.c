/*
 * FHIR JSON -> element tree.  Our own JSON parser rather than cJSON: FHIR
 * needs what cJSON cannot give.  Numbers must stay as written (12.0 is not
 * 12; cJSON keeps only a double and no text), every value needs its
 * line:column for findings, and duplicate keys must be found (cJSON keeps
 * both silently).  The parser builds a small value tree in the document's
 * arena; the mapper then walks it with the structure table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/swar.h"
#include "core/utf8.h"
#include "fhir/tree.h"
#include "fhir/xhtml.h"

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jv {
	int type;
	int line, col;
	const char *s;        /* string (unescaped) or number text */
	size_t len;
	const char *key;      /* member name inside an object */
	size_t keylen;
	int kline, kcol;
	struct jv *child;     /* array items / object members */
	struct jv *next;
	size_t n;             /* number of children */
};

struct jparser {
	const char *p, *end;
	const char *line_start;
	int line;
	struct arena *arena;
	const char *error;
	int eline, ecol;
};

static const char *type_name(int t)
{
	static const char *const names[] = { "null", "false", "true", "a number", "a string",
		"an array", "an object" };
	return names[t];
}

static int jp_fail(struct jparser *jp, const char *msg)
{
	if (!jp->error) {
		jp->error = msg;
		jp->eline = jp->line;
		jp->ecol = (int)(jp->p - jp->line_start) + 1;
	}
	return -1;
}

static void skip_ws(struct jparser *jp)
{
	while (jp->p < jp->end) {
		char c = *jp->p;
		if (c == '\n') {
			jp->line++;
			jp->line_start = ++jp->p;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			jp->p++;
		} else {
			break;
		}
	}
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

/* Length of a valid UTF-8 sequence at p (1..4), or 0. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	int n, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
	else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
	else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
	else return 0;
	if (end - p < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return n;
}

/* Parses a string at p (on the opening quote) into the arena. */
static int parse_string(struct jparser *jp, const char **out, size_t *outlen)
{
	const char *start, *q;
	char *dst, *d;

	jp->p++;
	start = jp->p;
	/* Fast path: no escapes. */
	while (jp->p < jp->end) {
		unsigned char c;
		while (jp->end - jp->p >= 8) {
			uint64_t v = swar_load(jp->p);
			if (swar_eq(v, '"') | swar_eq(v, '\\') | swar_ctl_or_high(v))
				break;
			jp->p += 8;
		}
		if (jp->p >= jp->end)
			break;
		c = (unsigned char)*jp->p;
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			jp->p++;
			continue;
		}
		if (c == '"' || c == '\\')
			break;
		if (c < 0x20)
			return jp_fail(jp, "control character in string (escape it)");
		{
			int n = utf8_len((const unsigned char *)jp->p, (const unsigned char *)jp->end);
			if (!n)
				return jp_fail(jp, "invalid UTF-8 in string");
			jp->p += n;
		}
	}
	if (jp->p >= jp->end)
		return jp_fail(jp, "unterminated string");
	if (*jp->p == '"') {
		*out = arena_strndup(jp->arena, start, (size_t)(jp->p - start));
		*outlen = (size_t)(jp->p - start);
		jp->p++;
		return *out ? 0 : jp_fail(jp, "out of memory");
	}
	/* Escapes: the text never grows by unescaping, so room for the raw
	 * string (up to its closing quote) is enough; decode straight into
	 * the arena. */
	for (q = jp->p; q < jp->end && *q != '"'; q += *q == '\\' ? 2 : 1)
		;
	if (q > jp->end)
		q = jp->end;
	dst = arena_alloc(jp->arena, (size_t)(q - start) + 1);
	if (!dst)
		return jp_fail(jp, "out of memory");
	memcpy(dst, start, (size_t)(jp->p - start));
	d = dst + (jp->p - start);
	while (jp->p < jp->end && *jp->p != '"') {
		unsigned char c = (unsigned char)*jp->p;
		if (c == '\\') {
			unsigned cp, lo;
			if (jp->end - jp->p < 2)
				return jp_fail(jp, "unterminated string");
			switch (jp->p[1]) {
			case '"': *d++ = '"'; break;
			case '\\': *d++ = '\\'; break;
			case '/': *d++ = '/'; break;
			case 'b': *d++ = '\b'; break;
			case 'f': *d++ = '\f'; break;
			case 'n': *d++ = '\n'; break;
			case 'r': *d++ = '\r'; break;
			case 't': *d++ = '\t'; break;
			case 'u':
				if (jp->end - jp->p < 6 || hex4(jp->p + 2, &cp) < 0)
					return jp_fail(jp, "bad \\u escape");
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					if (jp->end - jp->p < 12 || jp->p[6] != '\\' || jp->p[7] != 'u' ||
					    hex4(jp->p + 8, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
						return jp_fail(jp, "unpaired surrogate in \\u escape");
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					jp->p += 6;
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					return jp_fail(jp, "unpaired surrogate in \\u escape");
				}
				if (cp == 0)
					return jp_fail(jp, "\\u0000 in string");
				d += utf8_put(d, cp);
				jp->p += 4;
				break;
			default:
				return jp_fail(jp, "bad escape in string");
			}
			jp->p += 2;
		} else if (c >= 0x20 && c < 0x80) {
			/* A run of plain characters. */
			const char *run = jp->p;
			while (jp->end - jp->p >= 8) {
				uint64_t v = swar_load(jp->p);
				if (swar_eq(v, '"') | swar_eq(v, '\\') | swar_ctl_or_high(v))
					break;
				jp->p += 8;
			}
			while (jp->p < jp->end && (unsigned char)*jp->p >= 0x20 &&
			    (unsigned char)*jp->p < 0x80 && *jp->p != '"' && *jp->p != '\\')
				jp->p++;
			memcpy(d, run, (size_t)(jp->p - run));
			d += jp->p - run;
		} else if (c < 0x20) {
			return jp_fail(jp, "control character in string (escape it)");
		} else {
			int n = utf8_len((const unsigned char *)jp->p, (const unsigned char *)jp->end);
			if (!n)
				return jp_fail(jp, "invalid UTF-8 in string");
			memcpy(d, jp->p, (size_t)n);
			d += n;
			jp->p += n;
		}
	}
	if (jp->p >= jp->end)
		return jp_fail(jp, "unterminated string");
	jp->p++;
	*d = '\0';
	*out = dst;
	*outlen = (size_t)(d - dst);
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_number(struct jparser *jp, struct jv *v)
{
	const char *s = jp->p;

	if (jp->p < jp->end && *jp->p == '-')
		jp->p++;
	if (jp->p >= jp->end || !is_digit(*jp->p))
		return jp_fail(jp, "invalid number");
	if (*jp->p == '0') {
		jp->p++;
		if (jp->p < jp->end && is_digit(*jp->p))
			return jp_fail(jp, "leading zero in number");
	} else {
		while (jp->p < jp->end && is_digit(*jp->p))
			jp->p++;
	}
	if (jp->p < jp->end && *jp->p == '.') {
		jp->p++;
		if (jp->p >= jp->end || !is_digit(*jp->p))
			return jp_fail(jp, "invalid number");
		while (jp->p < jp->end && is_digit(*jp->p))
			jp->p++;
	}
	if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
		jp->p++;
		if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
			jp->p++;
		if (jp->p >= jp->end || !is_digit(*jp->p))
			return jp_fail(jp, "invalid number");
		while (jp->p < jp->end && is_digit(*jp->p))
			jp->p++;
	}
	v->type = J_NUMBER;
	v->len = (size_t)(jp->p - s);
	v->s = arena_strndup(jp->arena, s, v->len);
	return v->s ? 0 : jp_fail(jp, "out of memory");
}

static int parse_value(struct jparser *jp, struct jv *v, int depth);

static int parse_container(struct jparser *jp, struct jv *v, int depth)
{
	int obj = *jp->p == '{';
	char close = obj ? '}' : ']';
	struct jv **tail = &v->child;

	if (depth > FHIR_MAX_DEPTH)
		return jp_fail(jp, "nesting deeper than 256");
	v->type = obj ? J_OBJECT : J_ARRAY;
	jp->p++;
	skip_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return 0;
	}
	for (;;) {
		struct jv *item = arena_alloc(jp->arena, sizeof(*item));
		if (!item)
			return jp_fail(jp, "out of memory");
		skip_ws(jp);
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"')
				return jp_fail(jp, "expected a property name in quotes");
			item->kline = jp->line;
			item->kcol = (int)(jp->p - jp->line_start) + 1;
			if (parse_string(jp, &item->key, &item->keylen) < 0)
				return -1;
			skip_ws(jp);
			if (jp->p >= jp->end || *jp->p != ':')
				return jp_fail(jp, "expected ':' after property name");
			jp->p++;
		}
		if (parse_value(jp, item, depth + 1) < 0)
			return -1;
		if (!obj) {
			item->kline = item->line;
			item->kcol = item->col;
		}
		*tail = item;
		tail = &item->next;
		v->n++;
		skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			return 0;
		}
		return jp_fail(jp, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int parse_literal(struct jparser *jp, const char *word, int type, struct jv *v)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
		return jp_fail(jp, "unexpected character");
	jp->p += n;
	v->type = type;
	v->s = word;
	v->len = n;
	return 0;
}

static int parse_value(struct jparser *jp, struct jv *v, int depth)
{
	skip_ws(jp);
	v->line = jp->line;
	v->col = (int)(jp->p - jp->line_start) + 1;
	if (jp->p >= jp->end)
		return jp_fail(jp, "unexpected end of input");
	switch (*jp->p) {
	case '{':
	case '[':
		return parse_container(jp, v, depth);
	case '"':
		v->type = J_STRING;
		return parse_string(jp, &v->s, &v->len);
	case 't':
		return parse_literal(jp, "true", J_TRUE, v);
	case 'f':
		return parse_literal(jp, "false", J_FALSE, v);
	case 'n':
		return parse_literal(jp, "null", J_NULL, v);
	default:
		return parse_number(jp, v);
	}
}

/* ---- mapping JSON values onto FHIR elements ---- */

struct json_mapper {
	struct zib_fhir *t;
	struct fhir_tree_src *src;
	struct buf scratch;
};

#define MAX_ERRORS 100

static void map_err(struct json_mapper *m, int line, int col, struct fhir_node *parent,
	const char *name, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void map_err(struct json_mapper *m, int line, int col, struct fhir_node *parent,
	const char *name, const char *code, const char *fmt, ...)
{
	char path[1024], msg[700];
	size_t n;
	va_list ap;

	fhir_node_path(parent, path, sizeof(path));
	if (name) {
		n = strlen(path);
		snprintf(path + n, sizeof(path) - n, ".%s", name);
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fhir_diag(m->src, ZIB_SEV_ERROR, code, line + m->src->first_line - 1, col, path, "%s", msg);
}

static void map_object(struct json_mapper *m, struct fhir_node *node, const struct jv *obj,
	int is_prim_ext);

static const char *expected_json(const struct fhir_elem *def)
{
	switch (def->prim) {
	case FHIR_P_BOOLEAN: return "true or false";
	case FHIR_P_INTEGER: return "an integer number";
	case FHIR_P_DECIMAL: return "a number";
	}
	return "a string";
}

/* A primitive's value: a string, number or boolean as the type says. */
static int set_prim_value(struct json_mapper *m, struct fhir_node *parent, struct fhir_node *n,
	const struct jv *v)
{
	const struct fhir_elem *def = n->def;
	int ok;
	const char *why;

	switch (def->prim) {
	case FHIR_P_BOOLEAN: ok = v->type == J_TRUE || v->type == J_FALSE; break;
	case FHIR_P_INTEGER:
	case FHIR_P_DECIMAL: ok = v->type == J_NUMBER; break;
	default: ok = v->type == J_STRING;
	}
	if (!ok) {
		map_err(m, v->line, v->col, parent, def->name, FHIR_CODE_JSON_TYPE,
			"'%s' (%s) must be %s, not %s", def->name, def->type_code, expected_json(def),
			type_name(v->type));
		return -1;
	}
	if ((why = fhir_check_prim(def, v->s, v->len)) != NULL) {
		map_err(m, v->line, v->col, parent, def->name, FHIR_CODE_VALUE,
			"value '%s' of '%s' is %s", v->s, def->name, why);
		return -1;
	}
	if (v->type == J_STRING && v->len == 0)
		fhir_diag(m->src, ZIB_SEV_WARNING, FHIR_CODE_EMPTY, v->line + m->src->first_line - 1,
			v->col, NULL, "empty string for '%s' (FHIR values are never empty)", def->name);
	n->value = v->s;
	n->value_len = v->len;
	return 0;
}

/* ---- tolerant mode: what R4 does not describe (STU3) ---- */

/* Appends a node of kind under parent, in source order. */
static struct fhir_node *generic_add(struct json_mapper *m, struct fhir_node *parent, const char *name,
	size_t len, int kind, const struct jv *at)
{
	struct fhir_node *n = arena_alloc(&m->t->arena, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->name = arena_strndup(&m->t->arena, name, len);
	n->kind = kind;
	n->line = at->line + m->src->first_line - 1;
	n->column = at->col;
	n->parent = parent;
	n->order = parent->last ? parent->last->order : 0;
	if (parent->last)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
	return n;
}

static void generic_members(struct json_mapper *m, struct fhir_node *n, const struct jv *obj,
	int depth);

/* Member key: v as FHIR_K_GENERIC nodes, the way the XML reader makes
 * them (one per array item; a scalar is the value; "url" an attribute). */
static void generic_value(struct json_mapper *m, struct fhir_node *parent, const char *key,
	size_t klen, const struct jv *v, int depth)
{
	struct fhir_node *n;
	const struct jv *it;

	if (depth > FHIR_MAX_DEPTH)
		return;
	if (v->type == J_ARRAY) {
		for (it = v->child; it; it = it->next)
			generic_value(m, parent, key, klen, it, depth + 1);
		return;
	}
	if (v->type == J_NULL)
		return;
	n = generic_add(m, parent, key, klen, FHIR_K_GENERIC, v);
	if (!n)
		return;
	if (v->type == J_OBJECT) {
		generic_members(m, n, v, depth + 1);
	} else {
		n->value = v->type == J_TRUE ? "true" : v->type == J_FALSE ? "false" : v->s;
		n->value_len = n->value ? strlen(n->value) : 0;
		if (v->type == J_STRING || v->type == J_NUMBER)
			n->value_len = v->len;
	}
}

/* "_name": the id and extensions of the generic node(s) name made before. */
static void generic_under(struct json_mapper *m, struct fhir_node *parent, const struct jv *c,
	int depth)
{
	const char *name = c->key + 1;
	size_t len = c->keylen - 1;
	const struct jv *it = c->type == J_ARRAY ? c->child : c;
	struct fhir_node *n;

	for (n = parent->children; n && it; n = n->next) {
		if (strlen(n->name) != len || memcmp(n->name, name, len) != 0)
			continue;
		if (it->type == J_OBJECT)
			generic_members(m, n, it, depth + 1);
		if (c->type != J_ARRAY)
			return;
		it = it->next;
	}
	if (!parent->children || it == c)
		generic_value(m, parent, name, len, c, depth);   /* no value: the "_" part only */
}

static void generic_members(struct json_mapper *m, struct fhir_node *n, const struct jv *obj,
	int depth)
{
	const struct jv *c;

	for (c = obj->child; c; c = c->next) {
		if (c->keylen == 3 && memcmp(c->key, "url", 3) == 0 && c->type == J_STRING) {
			struct fhir_node *a = generic_add(m, n, "url", 3, FHIR_K_ATTR, c);
			if (a) {
				a->value = c->s;
				a->value_len = c->len;
			}
		} else if (c->key[0] == '_') {
			generic_under(m, n, c, depth);
		} else {
			generic_value(m, n, c->key, c->keylen, c, depth);
		}
	}
}

static void map_resource(struct json_mapper *m, struct fhir_node *node, const struct jv *obj)
{
	const struct jv *c, *rt = NULL;

	if (obj->type != J_OBJECT) {
		map_err(m, obj->line, obj->col, node->parent, node->name, FHIR_CODE_JSON_TYPE,
			"a resource must be an object, not %s", type_name(obj->type));
		return;
	}
	for (c = obj->child; c; c = c->next) {
		if (c->keylen == 12 && memcmp(c->key, "resourceType", 12) == 0) {
			if (rt) {
				map_err(m, c->kline, c->kcol, node, NULL, FHIR_CODE_DUP_KEY,
					"duplicate property 'resourceType'");
				return;
			}
			rt = c;
		}
	}
	if (!rt || rt->type != J_STRING) {
		map_err(m, obj->line, obj->col, node->parent, node->parent ? node->name : NULL,
			FHIR_CODE_NO_RTYPE, rt ? "'resourceType' must be a string" :
			"resource without 'resourceType'");
		return;
	}
	node->type = fhir_resource_type(m->t->defs, rt->s);
	if (!node->type && m->src->tolerant) {
		/* A type R4 does not have (STU3 ProcedureRequest): generic,
		 * its name as the value (see struct fhir_tree_src). */
		node->value = rt->s;
		node->value_len = rt->len;
		if (!node->parent)
			node->name = rt->s;
		for (c = obj->child; c; c = c->next) {
			if (c == rt)
				continue;
			if (c->key[0] == '_')
				generic_under(m, node, c, 0);
			else
				generic_value(m, node, c->key, c->keylen, c, 0);
		}
		return;
	}
	if (!node->type) {
		map_err(m, rt->line, rt->col, node->parent, node->parent ? node->name : NULL,
			FHIR_CODE_NO_RTYPE, "'%s' is not a FHIR resource type", rt->s);
		return;
	}
	if (!node->parent)
		node->name = node->type->name;
	map_object(m, node, obj, 0);
}

static struct fhir_node *new_node(struct json_mapper *m, struct fhir_node *parent,
	const struct fhir_elem *def, const struct jv *at)
{
	return fhir_node_add(m->t, parent, def, at->kline + m->src->first_line - 1, at->kcol);
}

/* One (non-primitive) value of an element. */
static void map_one(struct json_mapper *m, struct fhir_node *parent, const struct fhir_elem *def,
	const struct jv *key, const struct jv *v)
{
	struct fhir_node *n;
	const char *why;

	switch (def->kind) {
	case FHIR_K_ATTR:
		if (v->type != J_STRING) {
			map_err(m, v->line, v->col, parent, def->name, FHIR_CODE_JSON_TYPE,
				"'%s' must be a string, not %s", def->name, type_name(v->type));
			return;
		}
		if ((n = new_node(m, parent, def, key)) != NULL) {
			n->value = v->s;
			n->value_len = v->len;
		}
		return;
	case FHIR_K_XHTML:
		if (v->type != J_STRING) {
			map_err(m, v->line, v->col, parent, def->name, FHIR_CODE_JSON_TYPE,
				"'%s' must be a string of XHTML, not %s", def->name, type_name(v->type));
			return;
		}
		buf_reset(&m->scratch);
		if ((why = fhir_xhtml_normalise(&m->scratch, v->s, v->len)) != NULL) {
			map_err(m, v->line, v->col, parent, def->name, FHIR_CODE_XHTML, "%s", why);
			return;
		}
		if ((n = new_node(m, parent, def, key)) != NULL) {
			n->value = arena_strndup(&m->t->arena, m->scratch.data ? m->scratch.data : "",
				m->scratch.len);
			n->value_len = m->scratch.len;
		}
		return;
	case FHIR_K_COMPLEX:
		if (v->type != J_OBJECT) {
			map_err(m, v->line, v->col, parent, def->name, FHIR_CODE_JSON_TYPE,
				"'%s' (%s) must be an object, not %s", def->name, def->type_code,
				type_name(v->type));
			return;
		}
		if ((n = new_node(m, parent, def, key)) != NULL)
			map_object(m, n, v, 0);
		return;
	case FHIR_K_RESOURCE:
		if ((n = new_node(m, parent, def, key)) != NULL)
			map_resource(m, n, v);
		return;
	}
}

/* A primitive element: "name" and/or "_name", arrays when it repeats. */
static void map_prim(struct json_mapper *m, struct fhir_node *parent, const struct fhir_elem *def,
	const struct jv *val, const struct jv *ext)
{
	const struct jv *at = val ? val : ext;
	struct fhir_node *n;

	if (!def->repeats) {
		if ((val && val->type == J_ARRAY) || (ext && ext->type == J_ARRAY)) {
			const struct jv *a = val && val->type == J_ARRAY ? val : ext;
			map_err(m, a->line, a->col, parent, def->name, FHIR_CODE_ARRAY,
				"'%s' does not repeat: one value, not an array", def->name);
			return;
		}
		if (ext && ext->type != J_OBJECT) {
			map_err(m, ext->line, ext->col, parent, ext->key, FHIR_CODE_JSON_TYPE,
				"'_%s' must be an object (id, extension), not %s", def->name,
				type_name(ext->type));
			return;
		}
		if (val && val->type == J_NULL) {
			map_err(m, val->line, val->col, parent, def->name, FHIR_CODE_JSON_TYPE,
				"'%s' is null", def->name);
			return;
		}
		n = new_node(m, parent, def, at);
		if (!n)
			return;
		if (val)
			set_prim_value(m, parent, n, val);
		if (ext)
			map_object(m, n, ext, 1);
		return;
	}
	if ((val && val->type != J_ARRAY) || (ext && ext->type != J_ARRAY)) {
		const struct jv *a = val && val->type != J_ARRAY ? val : ext;
		map_err(m, a->line, a->col, parent, a->key, FHIR_CODE_ARRAY,
			"'%s' repeats: it must be an array, even for one value", def->name);
		return;
	}
	if (val && ext && val->n != ext->n) {
		map_err(m, ext->line, ext->col, parent, ext->key, FHIR_CODE_PRIM_ARRAYS,
			"'%s' has %zu items but '_%s' has %zu (pad with null)", def->name, val->n,
			def->name, ext->n);
		return;
	}
	{
		const struct jv *vi = val ? val->child : NULL, *ei = ext ? ext->child : NULL;
		while (vi || ei) {
			const struct jv *item = vi ? vi : ei;
			int vnull = !vi || vi->type == J_NULL, enull = !ei || ei->type == J_NULL;
			if (vnull && enull) {
				map_err(m, item->line, item->col, parent, def->name, FHIR_CODE_PRIM_ARRAYS,
					"null in '%s' without an id or extension in '_%s'", def->name, def->name);
			} else if (ei && !enull && ei->type != J_OBJECT) {
				map_err(m, ei->line, ei->col, parent, def->name, FHIR_CODE_JSON_TYPE,
					"items of '_%s' must be objects or null, not %s", def->name,
					type_name(ei->type));
			} else {
				n = fhir_node_add(m->t, parent, def, item->line + m->src->first_line - 1,
					item->col);
				if (!n)
					return;
				if (!vnull)
					set_prim_value(m, parent, n, vi);
				if (!enull)
					map_object(m, n, ei, 1);
			}
			if (vi)
				vi = vi->next;
			if (ei)
				ei = ei->next;
		}
	}
}

/* The members of an object onto node's type; is_prim_ext: the "_name"
 * object of a primitive (id and extension only). */
static void map_object(struct json_mapper *m, struct fhir_node *node, const struct jv *obj,
	int is_prim_ext)
{
	const struct fhir_type *tt = is_prim_ext ? m->t->prim_type : node->type;
	unsigned char seen[256];
	const struct jv *c;
	size_t nseen = (size_t)tt->count * 2;

	if (nseen > sizeof(seen) * 8)
		nseen = 0;
	memset(seen, 0, (nseen + 7) / 8);
	if (!obj->child && !node->children && !node->value)
		fhir_diag(m->src, ZIB_SEV_WARNING, FHIR_CODE_EMPTY, obj->line + m->src->first_line - 1,
			obj->col, NULL, "empty object for '%s'", node->name);
	for (c = obj->child; c; c = c->next) {
		const char *key = c->key;
		size_t klen = c->keylen;
		int under = key[0] == '_';
		const struct fhir_elem *def;
		size_t bit;

		if (m->src->errors > MAX_ERRORS)
			return;
		if (node->kind == FHIR_K_RESOURCE && !is_prim_ext && klen == 12 &&
		    memcmp(key, "resourceType", 12) == 0)
			continue;
		def = fhir_type_elem(m->t->defs, tt, key + under, klen - (size_t)under);
		if (def && is_prim_ext && (def->kind == FHIR_K_ATTR ? strcmp(def->name, "id") != 0 :
		    strcmp(def->name, "extension") != 0))
			def = NULL;
		if (def && under && def->kind != FHIR_K_PRIM)
			def = NULL;
		if (m->src->tolerant && (!def || (def->kind == FHIR_K_COMPLEX && (c->type == J_STRING ||
		    c->type == J_NUMBER || c->type == J_TRUE || c->type == J_FALSE)))) {
			/* STU3: an element R4 lacks, or a code where R4 has a
			 * CodeableConcept (Condition.clinicalStatus). */
			if (under)
				generic_under(m, node, c, 0);
			else
				generic_value(m, node, key, klen, c, 0);
			continue;
		}
		if (!def) {
			map_err(m, c->kline, c->kcol, node, key, FHIR_CODE_UNKNOWN,
				"unknown element '%s' in %s", key, is_prim_ext ? "a primitive's '_' object" :
				tt->name);
			continue;
		}
		bit = (size_t)fhir_elem_order(m->t->defs, tt, def) * 2 + (size_t)under;
		if (bit < nseen) {
			if (seen[bit / 8] & (1u << (bit % 8))) {
				map_err(m, c->kline, c->kcol, node, key, FHIR_CODE_DUP_KEY,
					"duplicate property '%s'", key);
				continue;
			}
			seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
		}
		if (fhir_node_choice_taken(node, def)) {
			map_err(m, c->kline, c->kcol, node, key, FHIR_CODE_DUP_KEY,
				"'%s': a choice element [x] has one value, and '%s' is given too", key,
				fhir_node_choice_taken(node, def)->name);
			continue;
		}
		if (def->kind == FHIR_K_PRIM) {
			const struct jv *val = under ? NULL : c, *ext = under ? c : NULL, *o;
			/* Pair "name" with "_name": the later of the two handles both. */
			for (o = obj->child; o; o = o->next) {
				if (o == c || o->keylen != (under ? klen - 1 : klen + 1))
					continue;
				if (under ? memcmp(o->key, key + 1, klen - 1) == 0 :
				    (o->key[0] == '_' && memcmp(o->key + 1, key, klen) == 0)) {
					if (under)
						val = o;
					else
						ext = o;
					break;
				}
			}
			if (val && ext) {
				const struct jv *first = NULL;
				for (o = obj->child; o; o = o->next)
					if (o == val || o == ext) {
						first = o;
						break;
					}
				if (first != c)
					continue;
			}
			map_prim(m, node, def, val, ext);
		} else if (def->repeats) {
			const struct jv *it;
			if (c->type != J_ARRAY) {
				map_err(m, c->line, c->col, node, key, FHIR_CODE_ARRAY,
					"'%s' repeats: it must be an array, even for one value", key);
				continue;
			}
			if (!c->child)
				fhir_diag(m->src, ZIB_SEV_WARNING, FHIR_CODE_EMPTY,
					c->line + m->src->first_line - 1, c->col, NULL, "empty array for '%s'", key);
			for (it = c->child; it; it = it->next)
				map_one(m, node, def, it, it);
		} else {
			if (c->type == J_ARRAY) {
				map_err(m, c->line, c->col, node, key, FHIR_CODE_ARRAY,
					"'%s' does not repeat: one value, not an array", key);
				continue;
			}
			map_one(m, node, def, c, c);
		}
	}
}

int fhir_parse_json_value(void **out, struct arena *a, const char *data, size_t len,
	struct fhir_tree_src *src, zib_error *err)
{
	struct jparser jp;
	struct jv *top;

	*out = NULL;
	memset(&jp, 0, sizeof(jp));
	jp.p = data;
	jp.end = data + len;
	jp.line_start = data;
	jp.line = 1;
	jp.arena = a;
	jp.p += utf8_bom_len(data, len);
	top = arena_alloc(a, sizeof(*top));
	if (!top)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	if (parse_value(&jp, top, 0) == 0) {
		skip_ws(&jp);
		if (jp.p < jp.end)
			jp_fail(&jp, "text after the end of the JSON value");
	}
	if (jp.error) {
		fhir_diag(src, ZIB_SEV_ERROR, FHIR_CODE_MALFORMED_JSON, jp.eline + src->first_line - 1,
			jp.ecol, NULL, "malformed JSON: %s", jp.error);
		return error_set(err, ZIB_EPARSE, "%s:%d:%d: malformed JSON: %s",
			src->file ? src->file : "-", jp.eline + src->first_line - 1, jp.ecol, jp.error);
	}
	*out = top;
	return 0;
}

int fhir_read_json(struct zib_fhir *t, const char *data, size_t len, struct fhir_tree_src *src,
	zib_error *err)
{
	void *top;
	int rc = fhir_parse_json_value(&top, &t->arena, data, len, src, err);

	return rc ? rc : fhir_read_json_value(t, top, src, err);
}

int fhir_read_json_value(struct zib_fhir *t, const void *value, struct fhir_tree_src *src,
	zib_error *err)
{
	const struct jv *top = value;
	struct json_mapper m;
	int rc = 0;

	memset(&m, 0, sizeof(m));
	m.t = t;
	m.src = src;
	t->root = arena_alloc(&t->arena, sizeof(*t->root));
	if (!t->root)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	t->root->kind = FHIR_K_RESOURCE;
	t->root->name = "";
	t->root->line = top->line + src->first_line - 1;
	t->root->column = top->col;
	map_resource(&m, t->root, top);
	if (m.scratch.oom)
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
	buf_release(&m.scratch);
	return rc;
}
