/*
 * jarena: a JSON parser that builds cJSON nodes in an arena, for decoding
 * compiled records (lookup.c).  Decoding reads the tree once and copies
 * what it keeps, so the nodes need no per-node malloc and free: releasing
 * the arena frees them all.  With cJSON's own parser, allocating and then
 * deleting the nodes was most of the time a validation run spent on its
 * definitions (callgrind: cJSON_Delete alone 40% of a run over the 271
 * zib2020 examples).
 *
 * The tree is read-only: the cJSON getters, cJSON_ArrayForEach and
 * cJSON_PrintUnformatted work on it; cJSON_Delete and the setters must
 * never see it.  Input is the compiled records (checksummed, written by
 * cJSON_PrintUnformatted), but every malformed input still yields NULL,
 * never a read past the end.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "fhirdef/internal.h"

#define MAX_DEPTH 512

struct jp {
	struct arena *a;
	const char *p;
	const char *end;
	int depth;
};

static void skip_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/* A string at j->p (the opening quote), unescaped into the arena. */
static char *parse_string(struct jp *j)
{
	const char *s = j->p + 1, *q = s;
	char *out, *o;

	/* Most strings have no escapes: the first quote ends them. */
	q = memchr(s, '"', (size_t)(j->end - s));
	if (q && !memchr(s, '\\', (size_t)(q - s))) {
		if (!(out = arena_strndup(j->a, s, (size_t)(q - s))))
			return NULL;
		j->p = q + 1;
		return out;
	}
	/* Find the closing quote; the unescaped text is never longer. */
	for (q = s; q < j->end && *q != '"'; )
		q += *q == '\\' ? 2 : 1;
	if (q >= j->end)
		return NULL;
	if (!(out = arena_alloc(j->a, (size_t)(q - s) + 1)))
		return NULL;
	for (o = out; s < q; ) {
		unsigned cp, lo;
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'b': *o++ = '\b'; s++; break;
		case 'f': *o++ = '\f'; s++; break;
		case 'n': *o++ = '\n'; s++; break;
		case 'r': *o++ = '\r'; s++; break;
		case 't': *o++ = '\t'; s++; break;
		case '"': case '\\': case '/': *o++ = *s++; break;
		case 'u':
			if (q - s < 5 || !hex4(s + 1, &cp))
				return NULL;
			s += 5;
			if (cp >= 0xD800 && cp < 0xDC00 && q - s >= 6 && s[0] == '\\' && s[1] == 'u' &&
			    hex4(s + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			}
			o += utf8_put(o, cp);
			break;
		default:
			return NULL;
		}
	}
	*o = '\0';
	j->p = q + 1;
	return out;
}

static cJSON *parse_value(struct jp *j);

static int parse_number(struct jp *j, cJSON *n)
{
	char buf[64];
	const char *s = j->p;
	size_t len;
	double d;

	while (s < j->end && (strchr("+-.eE", *s) || (*s >= '0' && *s <= '9')))
		s++;
	len = (size_t)(s - j->p);
	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, j->p, len);
	buf[len] = '\0';
	d = strtod(buf, NULL);
	n->type = cJSON_Number;
	n->valuedouble = d;
	n->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
	j->p = s;
	return 1;
}

static int literal(struct jp *j, const char *word, int type, cJSON *n)
{
	size_t l = strlen(word);

	if ((size_t)(j->end - j->p) < l || memcmp(j->p, word, l) != 0)
		return 0;
	n->type = type;
	if (type == cJSON_True)
		n->valueint = 1;
	j->p += l;
	return 1;
}

/* The members of an object or the items of an array, j->p after the
 * opening bracket. */
static int parse_children(struct jp *j, cJSON *n, char close, int object)
{
	cJSON *last = NULL;

	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 1;
	}
	for (;;) {
		char *key = NULL;
		cJSON *c;
		skip_ws(j);
		if (object) {
			if (j->p >= j->end || *j->p != '"' || !(key = parse_string(j)))
				return 0;
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return 0;
			j->p++;
		}
		if (!(c = parse_value(j)))
			return 0;
		c->string = key;
		if (last) {
			last->next = c;
			c->prev = last;
		} else {
			n->child = c;
		}
		last = c;
		n->child->prev = last;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 1;
		}
		return 0;
	}
}

static cJSON *parse_value(struct jp *j)
{
	cJSON *n;
	int ok;

	skip_ws(j);
	if (j->p >= j->end || ++j->depth > MAX_DEPTH || !(n = arena_alloc(j->a, sizeof(*n))))
		return NULL;
	switch (*j->p) {
	case '{':
		j->p++;
		n->type = cJSON_Object;
		ok = parse_children(j, n, '}', 1);
		break;
	case '[':
		j->p++;
		n->type = cJSON_Array;
		ok = parse_children(j, n, ']', 0);
		break;
	case '"':
		n->type = cJSON_String;
		ok = (n->valuestring = parse_string(j)) != NULL;
		break;
	case 't':
		ok = literal(j, "true", cJSON_True, n);
		break;
	case 'f':
		ok = literal(j, "false", cJSON_False, n);
		break;
	case 'n':
		ok = literal(j, "null", cJSON_NULL, n);
		break;
	default:
		ok = parse_number(j, n);
		break;
	}
	j->depth--;
	return ok ? n : NULL;
}

const cJSON *fhirdef_json_parse_arena(struct arena *a, const char *text, size_t len)
{
	struct jp j;
	cJSON *root;

	j.a = a;
	j.p = text;
	j.end = text + len;
	j.depth = 0;
	root = parse_value(&j);
	skip_ws(&j);
	/* A record ends at its NUL (len may count it). */
	if (root && j.p < j.end && *j.p != '\0')
		return NULL;
	return root;
}
