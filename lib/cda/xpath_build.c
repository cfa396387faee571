/*
 * Building elements along a mapping XPath (see xpath_build.h).
 */
#include <stdio.h>
#include <string.h>

#include "cda/xpath_build.h"

#define MAX_PREDS 4

struct pred {
	enum { P_ATTR, P_CHILD_ATTR, P_STARTS, P_IGNORE } kind;
	char child[64];   /* P_CHILD_ATTR: local name of the child */
	char attr[64];
	char value[256];
};

struct step {
	char name[64];     /* local name; "." or ".." or "@attr" */
	int sdtc;
	struct pred preds[MAX_PREDS];
	int npreds;
};

/* Length of s up to the first top-level sep (outside [] and quotes). */
static size_t top_span(const char *s, char sep)
{
	size_t i;
	int depth = 0;
	char quote = 0;

	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == sep && depth == 0) {
			return i;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '[') {
			depth++;
		} else if (c == ']') {
			depth--;
		}
	}
	return i;
}

static int copy_n(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* "hl7:x" or "sdtc:x" or "x" -> local name */
static const char *local(const char *qname, size_t n, size_t *out_n, int *sdtc)
{
	const char *colon = memchr(qname, ':', n);

	*sdtc = colon && (size_t)(colon - qname) == 4 && strncmp(qname, "sdtc", 4) == 0;
	if (!colon)
		return *out_n = n, qname;
	*out_n = n - (size_t)(colon + 1 - qname);
	return colon + 1;
}

/* Parses "a='v'" style text (after the left part) into value. */
static int quoted(const char *p, const char *end, char *value, size_t size)
{
	const char *q;

	while (p < end && (*p == '=' || *p == ' '))
		p++;
	if (p >= end || (*p != '\'' && *p != '"'))
		return -1;
	q = memchr(p + 1, *p, (size_t)(end - p - 1));
	if (!q)
		return -1;
	return copy_n(value, size, p + 1, (size_t)(q - p - 1));
}

static int parse_pred(const char *p, size_t n, struct pred *pr)
{
	const char *end = p + n, *eq;

	memset(pr, 0, sizeof(*pr));
	if (n == 7 && strncmp(p, "false()", 7) == 0)
		return -1;
	if (n > 12 && strncmp(p, "starts-with(", 12) == 0) {
		const char *comma = memchr(p, ',', n);
		const char *a = p + 12;
		if (!comma || *a != '@')
			return (pr->kind = P_IGNORE), 0;
		pr->kind = P_STARTS;
		if (copy_n(pr->attr, sizeof(pr->attr), a + 1, (size_t)(comma - a - 1)) < 0 ||
		    quoted(comma + 1, end, pr->value, sizeof(pr->value)) < 0)
			pr->kind = P_IGNORE;
		return 0;
	}
	eq = memchr(p, '=', n);
	if (!eq) {
		pr->kind = P_IGNORE;
		return 0;
	}
	if (*p == '@') {
		pr->kind = P_ATTR;
		if (copy_n(pr->attr, sizeof(pr->attr), p + 1, (size_t)(eq - p - 1)) < 0 ||
		    quoted(eq, end, pr->value, sizeof(pr->value)) < 0)
			pr->kind = P_IGNORE;
		return 0;
	}
	{
		const char *slash = memchr(p, '/', (size_t)(eq - p));
		size_t ln;
		int sd;
		const char *l;
		if (!slash || slash[1] != '@') {
			pr->kind = P_IGNORE;
			return 0;
		}
		l = local(p, (size_t)(slash - p), &ln, &sd);
		pr->kind = P_CHILD_ATTR;
		if (copy_n(pr->child, sizeof(pr->child), l, ln) < 0 ||
		    copy_n(pr->attr, sizeof(pr->attr), slash + 2, (size_t)(eq - slash - 2)) < 0 ||
		    quoted(eq, end, pr->value, sizeof(pr->value)) < 0)
			pr->kind = P_IGNORE;
	}
	return 0;
}

static int parse_step(const char *s, size_t n, struct step *st)
{
	size_t name_n = 0, ln;
	const char *l;

	memset(st, 0, sizeof(*st));
	while (name_n < n && s[name_n] != '[')
		name_n++;
	if (s[0] == '@')
		return copy_n(st->name, sizeof(st->name), s, name_n);
	l = local(s, name_n, &ln, &st->sdtc);
	if (copy_n(st->name, sizeof(st->name), l, ln) < 0)
		return -1;
	s += name_n;
	n -= name_n;
	while (n > 0 && *s == '[') {
		size_t close = top_span(s + 1, ']');
		if (close + 1 >= n + 1 || s[close + 1] != ']')
			return -1;
		if (st->npreds < MAX_PREDS) {
			if (parse_pred(s + 1, close, &st->preds[st->npreds]) < 0)
				return -1;
			st->npreds++;
		}
		s += close + 2;
		n -= close + 2;
	}
	return 0;
}

static const char *attr_of(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && !a->ns && a->children)
			return (const char *)a->children->content;
	return NULL;
}

static xmlNode *child_named(const xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static int matches(const xmlNode *n, const struct step *st)
{
	int i;

	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, st->name) != 0)
		return 0;
	if (!n->ns || (strcmp((const char *)n->ns->href, "urn:hl7-org:sdtc") == 0) != st->sdtc)
		return 0;
	/* A predicate this builder cannot check (following-sibling::) picks
	 * one of several alike elements: build a new one. */
	for (i = 0; i < st->npreds; i++)
		if (st->preds[i].kind == P_IGNORE)
			return 0;
	for (i = 0; i < st->npreds; i++) {
		const struct pred *p = &st->preds[i];
		const char *v;
		xmlNode *c;
		switch (p->kind) {
		case P_ATTR:
			v = attr_of(n, p->attr);
			if (!v || strcmp(v, p->value) != 0)
				return 0;
			break;
		case P_CHILD_ATTR:
			for (c = n->children; c; c = c->next)
				if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, p->child) == 0 &&
				    attr_of(c, p->attr) && strcmp(attr_of(c, p->attr), p->value) == 0)
					break;
			if (!c)
				return 0;
			break;
		case P_STARTS:
			v = attr_of(n, p->attr);
			if (!v || strncmp(v, p->value, strlen(p->value)) != 0)
				return 0;
			break;
		default:
			break;
		}
	}
	return 1;
}

/* Wrappers hold one act or role: a path through one reuses it only when
 * it is empty or already holds the element the next step asks for. */
static int holds(const xmlNode *c, const struct step *st, const struct step *next)
{
	static const char *const wrappers[] = { "entryRelationship", "component", "entry", "participant",
		"performer", "author", "informant", "reference", "consumable", "subject", "specimen", NULL };
	const xmlNode *g;
	size_t i;

	if (next->name[0] == '@' || next->name[0] == '.')
		return 1;
	for (i = 0; wrappers[i] && strcmp(wrappers[i], st->name) != 0; i++)
		;
	if (!wrappers[i])
		return 1;
	for (g = c->children; g; g = g->next)
		if (g->type == XML_ELEMENT_NODE && strcmp((const char *)g->name, "templateId") != 0 &&
		    strcmp((const char *)g->name, "functionCode") != 0 && strcmp((const char *)g->name, "time") != 0)
			return matches(g, next);
	return 1;
}

static xmlNode *create(xmlNode *ctx, xmlNs *hl7, xmlNs *sdtc, const struct step *st)
{
	xmlNode *n = xmlNewChild(ctx, st->sdtc ? sdtc : hl7, (const xmlChar *)st->name, NULL);
	int i;

	if (!n)
		return NULL;
	for (i = 0; i < st->npreds; i++) {
		const struct pred *p = &st->preds[i];
		if (p->kind == P_ATTR) {
			xmlSetProp(n, (const xmlChar *)p->attr, (const xmlChar *)p->value);
		} else if (p->kind == P_CHILD_ATTR) {
			xmlNode *c = child_named(n, p->child);
			if (!c)
				c = xmlNewChild(n, hl7, (const xmlChar *)p->child, NULL);
			if (c)
				xmlSetProp(c, (const xmlChar *)p->attr, (const xmlChar *)p->value);
		}
	}
	return n;
}

int cda_xpath_build(xmlNode *ctx, xmlNs *hl7, xmlNs *sdtc, const char *xpath, int fresh,
	struct xb_target *out, char *buf, size_t size)
{
	size_t total = top_span(xpath, '|'), pos = 0;
	struct step steps[24];
	int nsteps = 0, i, last_elem = -1;

	memset(out, 0, sizeof(*out));
	while (pos < total) {
		size_t n = top_span(xpath + pos, '/');
		if (n > total - pos)
			n = total - pos;
		if (n == 0 || nsteps == 24)
			return -1;
		if (parse_step(xpath + pos, n, &steps[nsteps]) < 0)
			return -1;
		nsteps++;
		pos += n + 1;
	}
	for (i = 0; i < nsteps; i++)
		if (steps[i].name[0] != '@' && steps[i].name[0] != '.')
			last_elem = i;
	/* A repeat inside a related act (a second Toedieningsweg) gets an
	 * entryRelationship of its own: the act holds one value. */
	for (i = last_elem; fresh && i >= 0; i--)
		if (strcmp(steps[i].name, "entryRelationship") == 0) {
			last_elem = i;
			break;
		}
	for (i = 0; i < nsteps; i++) {
		const struct step *st = &steps[i];
		xmlNode *c = NULL;
		int k;
		if (st->name[0] == '@') {
			if (i != nsteps - 1 || copy_n(buf, size, st->name + 1, strlen(st->name + 1)) < 0)
				return -1;
			out->attr = buf;
			break;
		}
		if (strcmp(st->name, ".") == 0)
			continue;
		if (strcmp(st->name, "..") == 0) {
			if (!ctx->parent || ctx->parent->type != XML_ELEMENT_NODE)
				return -1;
			ctx = ctx->parent;
			continue;
		}
		if (!(fresh && i == last_elem))
			for (c = ctx->children; c; c = c->next)
				if (matches(c, st) && (i + 1 >= nsteps || holds(c, st, &steps[i + 1])))
					break;
		if (!c)
			c = create(ctx, hl7, sdtc, st);
		if (!c)
			return -1;
		for (k = 0; k < st->npreds; k++)
			if (st->preds[k].kind == P_STARTS)
				snprintf(out->prefix, sizeof(out->prefix), "%s", st->preds[k].value);
		ctx = c;
	}
	out->node = ctx;
	return 0;
}

const char *cda_xpath_relative(const char *xpath, const char *parent_xpath)
{
	size_t n;

	if (!parent_xpath || strcmp(parent_xpath, ".") == 0)
		return xpath;
	if (strcmp(xpath, parent_xpath) == 0)
		return ".";
	n = strlen(parent_xpath);
	if (strncmp(xpath, parent_xpath, n) == 0 && xpath[n] == '/')
		return xpath + n + 1;
	return NULL;
}
