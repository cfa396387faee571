/*
 * A linear scanner for the narrative div of FHIR JSON: plain XHTML as
 * narratives are written (ASCII names, the XHTML namespace declared once on
 * the div, the five XML entities and character references, UTF-8 text).
 * It writes the same canonical markup as the libxml2 path (xhtml.c) in one
 * pass without building a tree.  Anything it does not fully understand --
 * comments, CDATA, processing instructions, DOCTYPE, other entities,
 * prefixes other than xml:, namespace declarations below the div,
 * invalid characters, anything not well-formed -- makes
 * it give up, and the caller parses with libxml2, which then decides (and
 * words any error).  So this scanner never accepts what libxml2 refuses and
 * never writes different bytes; tests/unit/xhtml.c checks both against
 * each other.
 */
#include <string.h>

#include "core/swar.h"
#include "fhir/xhtml.h"

/* Deeper or longer inputs go to libxml2 (its own limits then apply). */
#define FAST_MAX_DEPTH 128
#define FAST_MAX_ATTRS 32
#define FAST_MAX_NAME 256
#define FAST_MAX_LEN 1000000

struct scan {
	const unsigned char *p, *end;
	char *o;                       /* output cursor inside the reserved buffer */
};

struct name {
	const unsigned char *s;
	size_t len;
};

static int name_start(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int name_char(unsigned c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* An ASCII name without a prefix; 0 when absent or unusual. */
static size_t scan_name(struct scan *s)
{
	const unsigned char *q = s->p;

	if (q >= s->end || !name_start(*q))
		return 0;
	for (q++; q < s->end && name_char(*q); q++)
		;
	if ((size_t)(q - s->p) > FAST_MAX_NAME || (q < s->end && (*q == ':' || *q >= 0x80)))
		return 0;
	return (size_t)(q - s->p);
}

static int is_ws(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && is_ws(*s->p))
		s->p++;
}

static int xml_char(unsigned long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
		(cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Length of a valid UTF-8 sequence for an XML character at p, or 0. */
static size_t utf8_char(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	unsigned long cp;
	size_t n, i;

	if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
	else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
	else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
	else return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || !xml_char(cp))
		return 0;
	return n;
}

static void put(struct scan *s, const char *str, size_t n)
{
	memcpy(s->o, str, n);
	s->o += n;
}

static void put_utf8(struct scan *s, unsigned long cp)
{
	if (cp < 0x80) {
		*s->o++ = (char)cp;
	} else if (cp < 0x800) {
		*s->o++ = (char)(0xC0 | (cp >> 6));
		*s->o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*s->o++ = (char)(0xE0 | (cp >> 12));
		*s->o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*s->o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*s->o++ = (char)(0xF0 | (cp >> 18));
		*s->o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*s->o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*s->o++ = (char)(0x80 | (cp & 0x3F));
	}
}

/* One decoded character, escaped as xhtml.c's put_escaped() does. */
static void put_char(struct scan *s, unsigned long cp, int attr)
{
	switch (cp) {
	case '&': put(s, "&amp;", 5); return;
	case '<': put(s, "&lt;", 4); return;
	case '>': if (!attr) { put(s, "&gt;", 4); return; } break;
	case '"': if (attr) { put(s, "&quot;", 6); return; } break;
	case '\t': if (attr) { put(s, "&#9;", 4); return; } break;
	case '\n': if (attr) { put(s, "&#10;", 5); return; } break;
	case '\r': put(s, "&#13;", 5); return;
	}
	put_utf8(s, cp);
}

/* A reference at s->p ('&'): the five XML entities or a character
 * reference; the character it stands for, or 0 when unusual. */
static unsigned long scan_ref(struct scan *s)
{
	const unsigned char *q = s->p + 1;
	unsigned long cp = 0;
	size_t n = 0;

	if (q < s->end && *q == '#') {
		q++;
		if (q < s->end && *q == 'x') {
			for (q++; q < s->end && n < 8; q++, n++) {
				unsigned c = *q;
				if (c >= '0' && c <= '9') cp = cp * 16 + (c - '0');
				else if (c >= 'a' && c <= 'f') cp = cp * 16 + (c - 'a' + 10);
				else if (c >= 'A' && c <= 'F') cp = cp * 16 + (c - 'A' + 10);
				else break;
			}
		} else {
			for (; q < s->end && n < 9 && *q >= '0' && *q <= '9'; q++, n++)
				cp = cp * 10 + (*q - '0');
		}
		if (n == 0 || q >= s->end || *q != ';' || !xml_char(cp))
			return 0;
		s->p = q + 1;
		return cp;
	}
	{
		static const struct { const char *name; size_t len; char c; } ents[] = {
			{ "amp;", 4, '&' }, { "lt;", 3, '<' }, { "gt;", 3, '>' },
			{ "quot;", 5, '"' }, { "apos;", 5, '\'' },
		};
		size_t i;
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
			if ((size_t)(s->end - q) >= ents[i].len && memcmp(q, ents[i].name, ents[i].len) == 0) {
				s->p = q + ents[i].len;
				return (unsigned char)ents[i].c;
			}
	}
	return 0;
}

/* An attribute value at s->p (on the quote), normalised as XML says
 * (literal tab and newline become spaces) and written escaped. */
static int scan_attr_value(struct scan *s)
{
	unsigned quote;

	if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
		return -1;
	quote = *s->p++;
	while (s->p < s->end) {
		unsigned c = *s->p;
		const unsigned char *run = s->p;
		/* A run of characters written as they are. */
		while (c >= 0x20 && c < 0x80 && c != quote && c != '&' && c != '<' && c != '"') {
			if (++s->p >= s->end)
				return -1;
			c = *s->p;
		}
		put(s, (const char *)run, (size_t)(s->p - run));
		if (c == quote) {
			s->p++;
			return 0;
		}
		if (c >= 0x80) {
			size_t n = utf8_char(s->p, s->end);
			if (!n)
				return -1;
			put(s, (const char *)s->p, n);
			s->p += n;
		} else if (c == '&') {
			unsigned long cp = scan_ref(s);
			if (!cp)
				return -1;
			put_char(s, cp, 1);
		} else if (c == '"') {
			put(s, "&quot;", 6);
			s->p++;
		} else if (c == '\t' || c == '\n' || c == '\r') {
			/* Line ends become '\n' (one for "\r\n"), then a space. */
			if (c == '\r' && s->p + 1 < s->end && s->p[1] == '\n')
				s->p++;
			*s->o++ = ' ';
			s->p++;
		} else {
			return -1;   /* '<', control characters */
		}
	}
	return -1;
}

/* The attributes of a start tag, up to (not including) '>' or "/>". */
static int scan_attrs(struct scan *s, int root)
{
	struct name seen[FAST_MAX_ATTRS];
	size_t nseen = 0, i;
	int xmlns = 0;

	for (;;) {
		const unsigned char *at = s->p, *nm;
		size_t len, full;
		int xml_prefix = 0;

		skip_ws(s);
		if (s->p >= s->end)
			return -1;
		if (*s->p == '>' || *s->p == '/')
			break;
		if (s->p == at)
			return -1;   /* attributes need white space before them */
		nm = s->p;
		if (s->end - s->p > 4 && memcmp(s->p, "xml:", 4) == 0) {
			xml_prefix = 1;
			s->p += 4;
		}
		if (!(len = scan_name(s)))
			return -1;
		s->p += len;
		full = (size_t)(s->p - nm);
		if (!xml_prefix && len == 5 && memcmp(nm, "xmlns", 5) == 0) {
			/* Only the one declaration on the div, written literally. */
			static const char decl[] = "\"" XHTML_NS "\"";
			skip_ws(s);
			if (!root || xmlns || s->p >= s->end || *s->p != '=')
				return -1;
			s->p++;
			skip_ws(s);
			if ((size_t)(s->end - s->p) < sizeof(decl) - 1 ||
			    memcmp(s->p, decl, sizeof(decl) - 1) != 0)
				return -1;
			s->p += sizeof(decl) - 1;
			xmlns = 1;
			continue;
		}
		for (i = 0; i < nseen; i++)
			if (seen[i].len == full && memcmp(seen[i].s, nm, full) == 0)
				return -1;   /* libxml2 words the duplicate */
		if (nseen == FAST_MAX_ATTRS)
			return -1;
		seen[nseen].s = nm;
		seen[nseen++].len = full;
		skip_ws(s);
		if (s->p >= s->end || *s->p != '=')
			return -1;
		s->p++;
		skip_ws(s);
		*s->o++ = ' ';
		put(s, (const char *)nm, full);
		put(s, "=\"", 2);
		if (scan_attr_value(s) < 0)
			return -1;
		*s->o++ = '"';
	}
	return root && !xmlns ? -1 : 0;
}

/* Text up to the next '<', written escaped. */
static int scan_text(struct scan *s)
{
	while (s->p < s->end) {
		unsigned c;
		const unsigned char *run = s->p;
		while (s->end - s->p >= 8) {
			uint64_t v = swar_load(s->p);
			if (swar_eq(v, '&') | swar_eq(v, '<') | swar_eq(v, '>') | swar_ctl_or_high(v))
				break;
			s->p += 8;
		}
		if (s->p >= s->end)
			return -1;
		c = *s->p;
		while (c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>') {
			if (++s->p >= s->end)
				return -1;
			c = *s->p;
		}
		put(s, (const char *)run, (size_t)(s->p - run));
		if (c == '<')
			return 0;
		if (c >= 0x80) {
			size_t n = utf8_char(s->p, s->end);
			if (!n)
				return -1;
			put(s, (const char *)s->p, n);
			s->p += n;
		} else if (c == '&') {
			unsigned long cp = scan_ref(s);
			if (!cp)
				return -1;
			put_char(s, cp, 0);
		} else if (c == '>') {
			/* "]]>" is not allowed in text */
			if (s->p - run >= 2 && s->p[-1] == ']' && s->p[-2] == ']')
				return -1;
			put(s, "&gt;", 4);
			s->p++;
		} else if (c == '\t' || c == '\n') {
			*s->o++ = (char)c;
			s->p++;
		} else if (c == '\r') {
			/* Line ends become '\n', "\r\n" one '\n' (XML 2.11). */
			if (s->p + 1 < s->end && s->p[1] == '\n')
				s->p++;
			*s->o++ = '\n';
			s->p++;
		} else {
			return -1;   /* control characters */
		}
	}
	return -1;
}

static int scan(struct scan *s)
{
	struct name stack[FAST_MAX_DEPTH];
	size_t depth = 0, len;
	int open = 0;   /* a start tag's '>' not yet written: empty so far */

	if (s->end - s->p < 5 || memcmp(s->p, "<div", 4) != 0)
		return -1;
	for (;;) {
		/* At '<' of a start or end tag. */
		if (s->p + 1 < s->end && s->p[1] == '/') {
			if (depth == 0)
				return -1;
			depth--;
			s->p += 2;
			len = stack[depth].len;
			if ((size_t)(s->end - s->p) < len || memcmp(s->p, stack[depth].s, len) != 0)
				return -1;
			s->p += len;
			skip_ws(s);
			if (s->p >= s->end || *s->p != '>')
				return -1;
			s->p++;
			if (open) {
				put(s, "/>", 2);
				open = 0;
			} else {
				put(s, "</", 2);
				put(s, (const char *)stack[depth].s, len);
				*s->o++ = '>';
			}
			if (depth == 0)
				break;
		} else {
			if (open) {
				*s->o++ = '>';
				open = 0;
			}
			s->p++;
			if (!(len = scan_name(s)) || (depth == 0 && (len != 3 || memcmp(s->p, "div", 3) != 0)))
				return -1;
			if (depth == FAST_MAX_DEPTH)
				return -1;
			*s->o++ = '<';
			put(s, (const char *)s->p, len);
			if (depth == 0)
				put(s, " xmlns=\"" XHTML_NS "\"", sizeof(" xmlns=\"" XHTML_NS "\"") - 1);
			stack[depth].s = s->p;
			stack[depth].len = len;
			s->p += len;
			if (scan_attrs(s, depth == 0) < 0)
				return -1;
			if (*s->p == '/') {
				if (s->p + 1 >= s->end || s->p[1] != '>')
					return -1;
				s->p += 2;
				put(s, "/>", 2);
				if (depth == 0)
					break;
			} else {
				s->p++;
				depth++;
				open = 1;
			}
		}
		if (s->p >= s->end)
			return -1;
		if (*s->p != '<') {
			if (open) {
				*s->o++ = '>';
				open = 0;
			}
			if (scan_text(s) < 0)
				return -1;
		}
		/* Comments, CDATA, processing instructions: libxml2's job. */
		if (s->p + 1 >= s->end || s->p[1] == '!' || s->p[1] == '?')
			return -1;
	}
	/* Only white space may follow the div. */
	skip_ws(s);
	return s->p == s->end ? 0 : -1;
}

int fhir_xhtml_normalise_fast(struct buf *b, const char *markup, size_t len)
{
	struct scan s;

	/* Output is at most six times the input (a '"' in an attribute
	 * becomes "&quot;") plus the namespace declaration. */
	if (len > FAST_MAX_LEN || buf_reserve(b, 6 * len + 64) < 0)
		return 0;
	s.p = (const unsigned char *)markup;
	s.end = s.p + len;
	s.o = b->data + b->len;
	if (scan(&s) < 0) {
		b->data[b->len] = '\0';
		return 0;
	}
	b->len = (size_t)(s.o - b->data);
	b->data[b->len] = '\0';
	return 1;
}
