/*
 * The narrative div as markup.  One canonical serialisation: the XHTML
 * namespace declared on the div only, attributes in source order, text
 * escaped minimally (& < > in text; & < " and tab/newline/return as
 * character references in attributes), empty elements as <br/>, comments
 * kept, CDATA written as text.
 */
#include <string.h>

#include <libxml/parser.h>

#include "core/xml.h"

#include "fhir/xhtml.h"

static void put_escaped(struct buf *b, const char *s, int attr)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = attr ? NULL : "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		default: rep = NULL;
		}
		if (rep) {
			buf_append(b, run, (size_t)(s - run));
			buf_puts(b, rep);
			run = s + 1;
		}
	}
	buf_append(b, run, (size_t)(s - run));
}

static const char *dump_node(struct buf *b, const xmlNode *n, int top)
{
	const xmlAttr *a;
	const xmlNode *c;
	const char *why;

	switch (n->type) {
	case XML_ELEMENT_NODE:
		if (!n->ns || strcmp((const char *)n->ns->href, XHTML_NS) != 0)
			return "narrative element not in the XHTML namespace";
		buf_putc(b, '<');
		buf_puts(b, (const char *)n->name);
		if (top)
			buf_puts(b, " xmlns=\"" XHTML_NS "\"");
		for (a = n->properties; a; a = a->next) {
			buf_putc(b, ' ');
			if (a->ns) {
				if (strcmp((const char *)a->ns->href, "http://www.w3.org/XML/1998/namespace") != 0)
					return "narrative attribute in a foreign namespace";
				buf_puts(b, "xml:");
			}
			buf_puts(b, (const char *)a->name);
			buf_puts(b, "=\"");
			for (c = a->children; c; c = c->next)
				if (c->type == XML_TEXT_NODE && c->content)
					put_escaped(b, (const char *)c->content, 1);
			buf_putc(b, '"');
		}
		if (!n->children) {
			buf_puts(b, "/>");
			return NULL;
		}
		buf_putc(b, '>');
		for (c = n->children; c; c = c->next)
			if ((why = dump_node(b, c, 0)) != NULL)
				return why;
		buf_puts(b, "</");
		buf_puts(b, (const char *)n->name);
		buf_putc(b, '>');
		return NULL;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content)
			put_escaped(b, (const char *)n->content, 0);
		return NULL;
	case XML_COMMENT_NODE:
		buf_puts(b, "<!--");
		if (n->content)
			buf_puts(b, (const char *)n->content);
		buf_puts(b, "-->");
		return NULL;
	case XML_ENTITY_REF_NODE:
		return "entity reference in narrative";
	default:
		return NULL;
	}
}

const char *fhir_xhtml_dump(struct buf *b, const xmlNode *div)
{
	return dump_node(b, div, 1);
}

const char *fhir_xhtml_normalise_libxml(struct buf *b, const char *markup, size_t len)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	const char *why;

	if (xml_parse(&doc, markup, len, "div", NULL, NULL) < 0)
		return "narrative div is not well-formed XML";
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "div") != 0)
		why = "narrative is not a <div> element";
	else
		why = fhir_xhtml_dump(b, root);
	xmlFreeDoc(doc);
	return why;
}

const char *fhir_xhtml_normalise(struct buf *b, const char *markup, size_t len)
{
	if (fhir_xhtml_normalise_fast(b, markup, len))
		return NULL;
	return fhir_xhtml_normalise_libxml(b, markup, len);
}
