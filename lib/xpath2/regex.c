/*
 * regex: XPath/XSD regular expressions through PCRE2.  The syntaxes are
 * close; what differs is translated: the XML name classes \i \c (and \I
 * \C), character class subtraction [a-z-[aeiou]], '$' matching only at
 * the very end, and the flags (s m i x q).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "xpath2/ast.h"

#define NAME_START "\\p{L}_:"
#define NAME_CHAR "\\p{L}\\p{Nd}\\p{Mn}\\p{Mc}._:\\-"

/* Appends the translation of an escape at p (p[0] == '\\'); in_class:
 * inside [...], where the class body is emitted without brackets. */
static size_t translate_escape(struct buf *b, const char *p, int in_class)
{
	switch (p[1]) {
	case 'i':
		buf_puts(b, in_class ? NAME_START : "[" NAME_START "]");
		return 2;
	case 'c':
		buf_puts(b, in_class ? NAME_CHAR : "[" NAME_CHAR "]");
		return 2;
	case 'I':
		buf_puts(b, "[^" NAME_START "]");
		return 2;
	case 'C':
		buf_puts(b, "[^" NAME_CHAR "]");
		return 2;
	case '\0':
		buf_putc(b, '\\');
		return 1;
	default:
		buf_append(b, p, 2);
		return 2;
	}
}

/* Finds the ']' closing the class that starts at p[0] == '['. */
static const char *class_end(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '[')
			depth++;
		else if (*p == ']' && --depth == 0)
			return p;
	}
	return NULL;
}

static int translate_class(struct buf *b, const char *start, const char *end);

/* Emits the body of a class (between the brackets), no subtraction. */
static void class_body(struct buf *b, const char *p, const char *end)
{
	while (p < end) {
		if (*p == '\\') {
			p += translate_escape(b, p, 1);
		} else {
			if (*p == '[')
				buf_putc(b, '\\');
			buf_putc(b, *p++);
		}
	}
}

/* [base-[sub]] becomes (?:(?!sub)[base]). */
static int translate_class(struct buf *b, const char *start, const char *end)
{
	const char *p = start + 1, *sub = NULL;

	for (const char *q = p; q < end; q++) {
		if (*q == '\\' && q + 1 < end) {
			q++;
			continue;
		}
		if (*q == '-' && q[1] == '[' && q > p) {
			sub = q;
			break;
		}
	}
	if (!sub) {
		buf_putc(b, '[');
		class_body(b, p, end);
		buf_putc(b, ']');
		return 0;
	}
	buf_puts(b, "(?:(?!");
	{
		const char *se = class_end(sub + 1);
		if (!se || se > end)
			return -1;
		if (translate_class(b, sub + 1, se) < 0)
			return -1;
	}
	buf_puts(b, ")[");
	class_body(b, p, sub);
	buf_puts(b, "])");
	return 0;
}

void *xp_regex_compile(const char *pattern, const char *flags, char *errmsg, size_t errsize)
{
	struct buf b = BUF_INIT;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_NO_UTF_CHECK;
	const char *p;
	pcre2_code *re;
	int errcode;
	PCRE2_SIZE erroff;
	int literal = 0;

	for (p = flags; *p; p++) {
		switch (*p) {
		case 's': opts |= PCRE2_DOTALL; break;
		case 'm': opts |= PCRE2_MULTILINE; break;
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'x': opts |= PCRE2_EXTENDED; break;
		case 'q': literal = 1; break;
		default:
			snprintf(errmsg, errsize, "invalid regular expression flag '%c'", *p);
			return NULL;
		}
	}
	if (literal) {
		opts |= PCRE2_LITERAL;
		opts &= ~(uint32_t)PCRE2_EXTENDED;
		buf_puts(&b, pattern);
	} else {
		for (p = pattern; *p;) {
			if (*p == '\\') {
				p += translate_escape(&b, p, 0);
			} else if (*p == '[') {
				const char *e = class_end(p);
				if (!e) {
					buf_puts(&b, p);
					break;
				}
				if (translate_class(&b, p, e) < 0) {
					snprintf(errmsg, errsize, "invalid character class in '%s'", pattern);
					buf_release(&b);
					return NULL;
				}
				p = e + 1;
			} else if ((*p == '^' || *p == '$') && p[1] && strchr("+*?{", p[1])) {
				/* a quantified anchor ("^+?"): PCRE2 wants a group there */
				buf_printf(&b, "(?:%c)", *p++);
			} else {
				buf_putc(&b, *p++);
			}
		}
	}
	if (b.oom) {
		buf_release(&b);
		snprintf(errmsg, errsize, "out of memory");
		return NULL;
	}
	/* utf8 validity of patterns is not guaranteed: check it */
	opts &= ~(uint32_t)PCRE2_NO_UTF_CHECK;
	re = pcre2_compile((PCRE2_SPTR)(b.data ? b.data : ""), b.len, opts, &errcode, &erroff, NULL);
	buf_release(&b);
	if (!re) {
		PCRE2_UCHAR msg[200];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		snprintf(errmsg, errsize, "invalid regular expression '%s': %s", pattern, (char *)msg);
		return NULL;
	}
	return re;
}

void xp_regex_free(void *re)
{
	pcre2_code_free(re);
}

void *xp_regex_get(struct xp_run *r, const char *pattern, const char *flags)
{
	size_t pl = strlen(pattern), fl = strlen(flags);
	char *key = malloc(pl + fl + 2);
	void *re;
	char err[300];

	if (!key) {
		xp_error(r, "out of memory");
		return NULL;
	}
	memcpy(key, pattern, pl);
	key[pl] = '\x01';
	memcpy(key + pl + 1, flags, fl + 1);
	re = strmap_get(&r->regex_cache, key);
	if (re) {
		free(key);
		return re;
	}
	re = xp_regex_compile(pattern, flags, err, sizeof(err));
	if (!re) {
		free(key);
		xp_error(r, "%s", err);
		return NULL;
	}
	if (strmap_put(&r->regex_cache, key, re) < 0) {
		free(key);
		xp_regex_free(re);
		xp_error(r, "out of memory");
		return NULL;
	}
	return re;
}

int xp_regex_match(void *re, const char *s, size_t len, size_t start, size_t *ms, size_t *me,
	size_t *groups, int ngroups);

/*
 * Matches from start; 0 when there is no match, else the number of groups
 * set (1 + captures), with the match at [*ms, *me) and groups[2i], [2i+1]
 * the bounds of group i ((size_t)-1 when unset).  -1 on error.
 */
int xp_regex_match(void *re, const char *s, size_t len, size_t start, size_t *ms, size_t *me,
	size_t *groups, int ngroups)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE *ov;
	int rc;

	if (!md)
		return -1;
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, start, 0, md, NULL);
	if (rc == PCRE2_ERROR_NOMATCH) {
		pcre2_match_data_free(md);
		return 0;
	}
	if (rc < 0) {
		pcre2_match_data_free(md);
		return -1;
	}
	ov = pcre2_get_ovector_pointer(md);
	*ms = ov[0];
	*me = ov[1];
	if (groups) {
		int n = (int)pcre2_get_ovector_count(md);
		for (int i = 0; i < ngroups; i++) {
			if (i < n && ov[2 * i] != PCRE2_UNSET) {
				groups[2 * i] = ov[2 * i];
				groups[2 * i + 1] = ov[2 * i + 1];
			} else {
				groups[2 * i] = groups[2 * i + 1] = (size_t)-1;
			}
		}
		rc = ngroups < n ? ngroups : n;
		if (rc == 0)
			rc = 1;
	}
	pcre2_match_data_free(md);
	return rc;
}
