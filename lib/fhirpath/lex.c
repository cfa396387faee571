/*
 * lex: FHIRPath tokens.  Comments (// and / * * /) and white space are
 * skipped; strings and `delimited identifiers` come out unescaped; date and
 * time literals (@...) keep their text without the '@'.
 */
#include <stdio.h>
#include <string.h>

#include "fhirpath/fp_int.h"

void fp_set_error(struct fhirpath_error *err, const char *src, int pos, const char *fmt, ...)
{
	va_list ap;
	int i, line = 1, col = 1;

	if (!err)
		return;
	for (i = 0; src && i < pos && src[i]; i++) {
		if (src[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	err->pos = pos;
	err->line = line;
	err->column = col;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends code point cp as UTF-8. */
static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* A quoted string or delimited identifier, from just after the quote. */
static int quoted(struct fp_lexer *lx, struct fp_token *t, char q)
{
	const char *p = lx->p + 1;
	char *buf, *o;
	size_t cap;

	while (*p && *p != q)
		p += (*p == '\\' && p[1]) ? 2 : 1;
	if (!*p) {
		fp_set_error(lx->err, lx->src, t->pos, "unterminated %s",
			q == '`' ? "identifier" : "string");
		return -1;
	}
	cap = (size_t)(p - lx->p) + 1;
	buf = o = arena_alloc(lx->arena, cap);
	if (!buf)
		return -1;
	for (p = lx->p + 1; *p != q; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			int k, h;
			unsigned cp = 0;
			for (k = 1; k <= 4; k++) {
				h = hexval((unsigned char)p[k]);
				if (h < 0) {
					fp_set_error(lx->err, lx->src, (int)(p - lx->src),
						"bad \\u escape");
					return -1;
				}
				cp = cp * 16 + (unsigned)h;
			}
			o = put_utf8(o, cp);
			p += 4;
			break;
		}
		case '\\': case '/': case '\'': case '"': case '`':
			*o++ = *p;
			break;
		default:
			fp_set_error(lx->err, lx->src, (int)(p - lx->src) - 1,
				"unknown escape '\\%c'", *p);
			return -1;
		}
	}
	*o = '\0';
	t->text = buf;
	t->len = (size_t)(o - buf);
	lx->p = p + 1;
	return 0;
}

/* @date, @dateTime, @Ttime: the characters a literal may hold. */
static int datetime(struct fp_lexer *lx, struct fp_token *t)
{
	const char *s = lx->p + 1, *p = s;

	if (*p == 'T') {
		p++;
		while (is_digit(*p) || *p == ':' || *p == '.')
			p++;
		t->kind = T_TIME;
		/* A time of day has no offset: @T14:34:28Z is not a time. */
		if (*p == 'Z' || *p == '+' || (*p == '-' && is_digit(p[1]))) {
			fp_set_error(lx->err, lx->src, t->pos, "a time has no timezone");
			return -1;
		}
	} else {
		while (is_digit(*p) || *p == '-')
			p++;
		t->kind = T_DATE;
		if (*p == 'T') {
			p++;
			t->kind = T_DATETIME;
			while (is_digit(*p) || *p == ':' || *p == '.')
				p++;
			if (*p == 'Z')
				p++;
			else if ((*p == '+' || *p == '-') && is_digit(p[1]))
				for (p++; is_digit(*p) || *p == ':'; p++)
					;
		}
	}
	/* A trailing '.' belongs to an invocation: @2015.is(Date). */
	if (p > s && p[-1] == '.' && is_ident_start((unsigned char)*p))
		p--;
	t->text = s;
	t->len = (size_t)(p - s);
	lx->p = p;
	return 0;
}

int fp_lex_next(struct fp_lexer *lx, struct fp_token *t)
{
	const char *p;
	static const char *ops2[] = { "<=", ">=", "!=", "!~", NULL };
	int i;

	for (;;) {
		p = lx->p;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
			lx->p = p;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e) {
				fp_set_error(lx->err, lx->src, (int)(p - lx->src),
					"unterminated comment");
				return -1;
			}
			lx->p = e + 2;
			continue;
		}
		lx->p = p;
		break;
	}
	t->pos = (int)(p - lx->src);
	t->text = p;
	t->len = 0;
	if (!*p) {
		t->kind = T_END;
		return 0;
	}
	if (is_ident_start((unsigned char)*p)) {
		while (is_ident_start((unsigned char)*p) || is_digit(*p))
			p++;
		t->kind = T_IDENT;
		t->len = (size_t)(p - t->text);
		lx->p = p;
		return 0;
	}
	if (is_digit(*p)) {
		while (is_digit(*p))
			p++;
		t->kind = T_INT;
		if (*p == '.' && is_digit(p[1])) {
			p++;
			while (is_digit(*p))
				p++;
			t->kind = T_DEC;
		}
		t->len = (size_t)(p - t->text);
		lx->p = p;
		return 0;
	}
	switch (*p) {
	case '\'':
		t->kind = T_STRING;
		return quoted(lx, t, '\'');
	case '`':
		t->kind = T_QIDENT;
		return quoted(lx, t, '`');
	case '@':
		return datetime(lx, t);
	case '%':
		t->kind = T_EXTVAR;
		if (p[1] == '`' || p[1] == '\'') {
			lx->p = p + 1;
			return quoted(lx, t, p[1]);
		}
		p++;
		if (!is_ident_start((unsigned char)*p)) {
			fp_set_error(lx->err, lx->src, t->pos, "expected a name after '%%'");
			return -1;
		}
		t->text = p;
		while (is_ident_start((unsigned char)*p) || is_digit(*p) || *p == '-')
			p++;
		t->len = (size_t)(p - t->text);
		lx->p = p;
		return 0;
	case '$':
		t->kind = T_SPECIAL;
		p++;
		while (is_ident_start((unsigned char)*p))
			p++;
		t->len = (size_t)(p - t->text);
		lx->p = p;
		if ((t->len == 5 && !memcmp(t->text, "$this", 5)) ||
			(t->len == 6 && !memcmp(t->text, "$index", 6)) ||
			(t->len == 6 && !memcmp(t->text, "$total", 6)))
			return 0;
		fp_set_error(lx->err, lx->src, t->pos, "unknown special variable '%.*s'",
			(int)t->len, t->text);
		return -1;
	}
	t->kind = T_OP;
	for (i = 0; ops2[i]; i++)
		if (p[0] == ops2[i][0] && p[1] == ops2[i][1]) {
			t->len = 2;
			lx->p = p + 2;
			return 0;
		}
	if (strchr("+-*/&|=~<>()[]{},.", *p)) {
		t->len = 1;
		lx->p = p + 1;
		return 0;
	}
	fp_set_error(lx->err, lx->src, t->pos, "unexpected character '%c'", *p);
	return -1;
}
