/*
 * Structure beyond what the parser checks: XML element order (the tree
 * keeps specification order; the source positions tell whether the
 * document had it), Extension.url an absolute URL, and narrative safety:
 * only the XHTML elements and attributes txt-1 allows, some content
 * (txt-2).
 */
#include <string.h>

#include "fhirval/fhirval.h"

static int before(const struct fhir_node *a, const struct fhir_node *b)
{
	return a->line < b->line || (a->line == b->line && a->column < b->column);
}

static void xml_order(struct fv_run *run, const struct fhir_node *n)
{
	const struct fhir_node *c, *prev = NULL;

	for (c = n->children; c; c = c->next) {
		if (c->kind == FHIR_K_ATTR || c->line <= 0)
			continue;
		if (prev && prev->order != c->order && before(c, prev)) {
			fv_report(run, c, ZIB_SEV_ERROR, FV_CODE_ORDER, "element '%s' is out of order: "
				"the specification puts it after '%s'", c->name, prev->name);
			return;   /* one per parent: the rest follows from it */
		}
		prev = c;
	}
}

/* An absolute URL: scheme ':' then something. */
static int is_absolute(const char *s)
{
	size_t i = 0;

	if (!s || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (s[i] && s[i] != ':') {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return 0;
		i++;
	}
	return s[i] == ':' && s[i + 1] != '\0';
}

static const char *const xhtml_elements[] = {
	"a", "abbr", "acronym", "b", "big", "blockquote", "br", "caption", "cite", "code", "col",
	"colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6",
	"hr", "i", "img", "li", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub",
	"sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var", NULL
};

static int allowed_element(const char *name, size_t len)
{
	size_t i;

	for (i = 0; xhtml_elements[i]; i++)
		if (strlen(xhtml_elements[i]) == len && strncmp(xhtml_elements[i], name, len) == 0)
			return 1;
	return 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '_' || c == ':' || c == '.';
}

/* Checks the attributes of a start tag (from p up to '>'); returns where
 * the tag ends. */
static const char *check_attributes(struct fv_run *run, const struct fhir_node *n,
	const char *p, const char *end, int *bad)
{
	while (p < end && *p != '>') {
		const char *a;
		size_t len;
		if (*p == '"' || *p == '\'') {
			const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
			p = q ? q + 1 : end;
			continue;
		}
		if (!name_char(*p)) {
			p++;
			continue;
		}
		for (a = p; p < end && name_char(*p); p++)
			;
		len = (size_t)(p - a);
		if (!*bad && len > 2 && (a[0] == 'o' || a[0] == 'O') && (a[1] == 'n' || a[1] == 'N')) {
			fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_XHTML, "the narrative has an event "
				"handler attribute '%.*s' (txt-1: only basic HTML formatting)", (int)len, a);
			*bad = 1;
		}
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p < end && *p == '=') {
			const char *v = p + 1;
			while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
				v++;
			if (!*bad && end - v > 12 && (v[0] == '"' || v[0] == '\'') &&
			    strncmp(v + 1, "javascript:", 11) == 0) {
				fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_XHTML, "the narrative has a "
					"'javascript:' link (txt-1: only basic HTML formatting)");
				*bad = 1;
			}
			p = v;
		}
	}
	return p;
}

static void narrative(struct fv_run *run, const struct fhir_node *n)
{
	const char *p = n->value, *end = n->value + n->value_len;
	int content = 0, bad = 0;

	while (p < end) {
		if (*p == '<') {
			if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
				const char *q = strstr(p + 4, "-->");
				p = q && q < end ? q + 3 : end;
				continue;
			}
			if (p + 1 < end && (p[1] == '/' || p[1] == '?' || p[1] == '!')) {
				const char *q = memchr(p, '>', (size_t)(end - p));
				p = q ? q + 1 : end;
				continue;
			} else {
				const char *name = p + 1, *colon;
				size_t len;
				for (p = name; p < end && name_char(*p); p++)
					;
				colon = memchr(name, ':', (size_t)(p - name));
				if (colon)
					name = colon + 1;
				len = (size_t)(p - name);
				if (len == 3 && strncmp(name, "img", 3) == 0)
					content = 1;
				if (!bad && !allowed_element(name, len)) {
					fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_XHTML, "the narrative has "
						"element '%.*s' (txt-1: only basic HTML formatting)", (int)len, name);
					bad = 1;
				}
				p = check_attributes(run, n, p, end, &bad);
				if (p < end)
					p++;
				continue;
			}
		}
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			content = 1;
		p++;
	}
	if (!content)
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_XHTML_EMPTY,
			"the narrative has no non-whitespace content (txt-2)");
}

/* ele-1: a primitive needs a value or an extension; an id alone is not
 * enough. */
static void empty_primitive(struct fv_run *run, const struct fhir_node *n)
{
	const struct fhir_node *c;

	if (n->value)
		return;
	for (c = n->children; c; c = c->next)
		if (strcmp(c->name, "extension") == 0)
			return;
	fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_STRUCT, "'%s' has neither a value nor an "
		"extension (ele-1: all FHIR elements must have a @value or children)", n->name);
}

void fv_check_structure(struct fv_run *run, const struct fhir_node *n)
{
	if (n->kind == FHIR_K_PRIM)
		empty_primitive(run, n);
	/* The order is the structure table's: R4's; another release's table
	 * is R4's with additions, so not its order. */
	if (run->core && run->tree->format == ZIB_FORMAT_FHIR_XML && n->children)
		xml_order(run, n);
	if (n->kind == FHIR_K_XHTML && n->value)
		narrative(run, n);
	/* Extension.url: absolute, except a nested extension's (a name). */
	if (n->kind == FHIR_K_ATTR && n->parent && n->parent->type && strcmp(n->name, "url") == 0 &&
	    strcmp(n->parent->type->name, "Extension") == 0 && n->parent->parent &&
	    !(n->parent->parent->type && strcmp(n->parent->parent->type->name, "Extension") == 0) &&
	    !is_absolute(n->value))
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_STRUCT,
			"Extension.url '%s' must be an absolute URL", n->value ? n->value : "");
}
