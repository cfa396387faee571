/*
 * Safe XML parsing for every reader (see xml.h).  libxml2 2.9 has no
 * per-parse error handler API and no XML_PARSE_NO_XXE, so: errors are
 * caught through the parser context's SAX structured-error hook, external
 * entities are refused by a loader that loads nothing, and a DOCTYPE that
 * declares entities is refused outright.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "core/error.h"
#include "core/xml.h"

struct xml_errors {
	const char *file;
	zib_report *report;
	zib_error *err;
	int count;
};

/* The loader of this thread while it compiles a schema (xml_set_thread_loader). */
static _Thread_local xml_loader_fn thread_loader;
static _Thread_local void *thread_loader_data;

void xml_set_thread_loader(xml_loader_fn fn, void *data)
{
	thread_loader = fn;
	thread_loader_data = data;
}

/* Never fetch anything for a document: no file, no network, for DTDs and
 * entities alike.  Only a schema being compiled on this thread may load
 * (local) files, through the loader it installed. */
static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (thread_loader)
		return thread_loader(url, id, ctxt, thread_loader_data);
	return NULL;
}

static void xml_init_once(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_external);
}

/* Once per process, whichever thread comes first: libxml2's own first-time
 * initialisation is not safe to run twice at once (-j workers raced here
 * and leaked its encoding handlers). */
void xml_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, xml_init_once);
}

/* libxml2 calls SAX handlers and serror with ctxt->userData, which must
 * stay the parser context for SAX2; our state hangs off ctxt->_private. */
static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct xml_errors *x = ((xmlParserCtxtPtr)data)->_private;
	char msg[512];
	size_t n;
	zib_diag d;

	if (!e || e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "malformed XML");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (n > 0 && msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] = (char)(msg[0] + 32);
	x->count++;
	if (x->count == 1)
		error_set(x->err, ZIB_EPARSE, "%s:%d: %s", x->file, e->line, msg);
	/* After the first few, libxml2 mostly reports consequences of the first. */
	if (!x->report || x->count > 20)
		return;
	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.code = XML_CODE_MALFORMED;
	d.file = x->file;
	d.line = e->line;
	d.column = e->int2;   /* libxml2 keeps the column in int2 */
	d.message = msg;
	zib_report_add(x->report, &d);
}

static int has_entity_decls(const xmlDoc *doc)
{
	return doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities ||
		doc->intSubset->ExternalID || doc->intSubset->SystemID);
}

/* Wraps libxml2's SAX2 start handler to keep the column of each start tag
 * in the node's psvi field (unused without schema validation). */
static void start_element_col(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
	int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	const xmlChar *cur, *lt;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
		nb_attributes, nb_defaulted, attributes);
	if (!ctxt->node || !ctxt->input || !ctxt->input->cur)
		return;
	/* The parser stands at the end of the start tag; its '<' is on the
	 * same line unless the tag spans lines (then no column). */
	cur = ctxt->input->cur;
	for (lt = cur; lt > ctxt->input->base && *lt != '<'; lt--)
		if (*lt == '\n')
			return;
	if (*lt == '<' && ctxt->input->col > (int)(cur - lt))
		ctxt->node->psvi = (void *)(intptr_t)(ctxt->input->col - (int)(cur - lt));
}

int xml_node_column(const xmlNode *node)
{
	return node->type == XML_ELEMENT_NODE ? (int)(intptr_t)node->psvi : 0;
}

/* The line of the DOCTYPE: libxml2 keeps none for the internal subset
 * node, so count the newlines before "<!DOCTYPE" in the input. */
static int doctype_line(xmlDoc *doc, const char *data, size_t len)
{
	static const char tag[] = "<!DOCTYPE";
	size_t i, n = sizeof(tag) - 1;
	long l = doc->intSubset ? xmlGetLineNo((xmlNodePtr)doc->intSubset) : -1;
	int line = 1;

	if (l > 0)
		return (int)l;
	for (i = 0; i + n <= len; i++) {
		if (data[i] == '\n')
			line++;
		else if (data[i] == '<' && memcmp(data + i, tag, n) == 0)
			return line;
	}
	return 0;
}

/* libxml2 checks an element's attributes for duplicates pair by pair: 200,000
 * attributes on one element take minutes.  No HL7 element has a hundred. */
#define MAX_ATTRIBUTES 1000

/* Skips from p past the first occurrence of the n-byte end marker. */
static const char *skip_past(const char *p, const char *end, const char *marker, size_t n)
{
	for (; p + n <= end; p++) {
		p = memchr(p, marker[0], (size_t)(end - p));
		if (!p || p + n > end)
			return end;
		if (memcmp(p, marker, n) == 0)
			return p + n;
	}
	return end;
}

/* The line of the first start tag with more than MAX_ATTRIBUTES
 * attributes, or 0 (one linear pass; comments, CDATA, PIs skipped). */
static int too_many_attributes(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int line = 1;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		size_t attrs = 0;
		char quote = 0;

		if (!lt)
			return 0;
		for (; p < lt; p++)
			line += *p == '\n';
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			p = skip_past(p + 4, end, "-->", 3);
		else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
			p = skip_past(p + 9, end, "]]>", 3);
		else if (end - p >= 2 && p[1] == '?')
			p = skip_past(p + 2, end, "?>", 2);
		else {
			const char *tag = p;
			for (p++; p < end && (quote || *p != '>'); p++) {
				if (quote) {
					if (*p == quote)
						quote = 0;
				} else if (*p == '"' || *p == '\'') {
					quote = *p;
				} else if (*p == '=' && ++attrs > MAX_ATTRIBUTES) {
					return line;
				}
			}
			for (; tag < p; tag++)
				line += *tag == '\n';
			continue;
		}
		/* Lines inside the skipped comment, CDATA or PI are not counted
		 * precisely: only a start tag's line is reported. */
		for (const char *q = lt; q < p; q++)
			line += *q == '\n';
	}
	return 0;
}

/* Documents larger than this are parsed without libxml2's 10 MB limits. */
#define HUGE_FROM ((size_t)8 << 20)

/* Whether the prolog (before the root element) declares an entity or an
 * external DTD: "<!ENTITY" or "<!DOCTYPE x SYSTEM|PUBLIC" before the first
 * element. */
static int declares_entities(const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL && end - p > 1) {
		if (p[1] != '!' && p[1] != '?')
			return 0;  /* the root element: the prolog is over */
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			/* A comment may hold anything: skip to its end. */
			const char *q;
			for (q = p + 4; q + 3 <= end && memcmp(q, "-->", 3) != 0; q++)
				;
			p = q;
			continue;
		}
		if (p[1] == '?') {
			/* A processing instruction too. */
			const char *q;
			for (q = p + 2; q + 2 <= end && memcmp(q, "?>", 2) != 0; q++)
				;
			p = q;
			continue;
		}
		if (end - p >= 8 && memcmp(p, "<!ENTITY", 8) == 0)
			return 1;
		if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
			const char *q = p + 9, *gt = memchr(q, '>', (size_t)(end - q));
			size_t n = gt ? (size_t)(gt - q) : (size_t)(end - q);
			size_t i;
			for (i = 0; i + 6 <= n; i++)
				if (memcmp(q + i, "SYSTEM", 6) == 0 || memcmp(q + i, "PUBLIC", 6) == 0)
					return 1;
		}
		p++;
	}
	return 0;
}

static int parse(xmlDoc **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err, int columns)
{
	struct xml_errors x = { file, report, err, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	zib_diag d;
	size_t i;

	*out = NULL;
	xml_init();
	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.file = file;
	for (i = 0; i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'); i++)
		;
	if (i == len) {
		d.code = XML_CODE_EMPTY;
		d.message = "empty document";
		if (report)
			zib_report_add(report, &d);
		return error_set(err, ZIB_EPARSE, "%s: empty document", file);
	}
	if (len > (size_t)0x7fffffff)
		return error_set(err, ZIB_ETOOBIG, "%s: too large for the XML parser", file);
	if ((d.line = too_many_attributes(data, len)) > 0) {
		d.code = XML_CODE_MALFORMED;
		d.message = "an element has more than 1000 attributes (refused unread)";
		if (report)
			zib_report_add(report, &d);
		return error_set(err, ZIB_EPARSE, "%s:%d: an element has more than 1000 attributes", file,
			d.line);
	}
	d.line = 0;
	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (!ctxt)
		return error_set(err, ZIB_ENOMEM, "out of memory parsing '%s'", file);
	ctxt->sax->serror = on_xml_error;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	ctxt->_private = &x;
	if (columns)
		ctxt->sax->startElementNs = start_element_col;
	/* Not XML_PARSE_NOENT (would substitute entities), not DTDLOAD/DTDATTR.
	 * libxml2's fixed 10 MB limits (a text node, a comment, a lookahead)
	 * would refuse a valid document the caller's size limit admits (a
	 * large embedded PDF): over that size they are lifted (XML_PARSE_HUGE),
	 * which also lifts the entity amplification limits, so such a document
	 * must declare no entity at all (checked first). */
	if (len > HUGE_FROM && declares_entities(data, len)) {
		xmlFreeParserCtxt(ctxt);
		d.code = XML_CODE_DTD;
		d.message = "DOCTYPE with entity declarations or an external DTD is refused "
			"(no DTD loading, no entity expansion)";
		if (report)
			zib_report_add(report, &d);
		return error_set(err, ZIB_EPARSE, "%s: DOCTYPE with entities or an external DTD refused", file);
	}
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA |
		(len > HUGE_FROM ? XML_PARSE_HUGE : 0));
	xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (!ctxt->wellFormed || x.count > 0) {
		if (x.count == 0) {
			d.code = XML_CODE_MALFORMED;
			d.message = "not well-formed XML";
			if (report)
				zib_report_add(report, &d);
			error_set(err, ZIB_EPARSE, "%s: not well-formed XML", file);
		}
		xmlFreeParserCtxt(ctxt);
		xmlFreeDoc(doc);
		return ZIB_EPARSE;
	}
	xmlFreeParserCtxt(ctxt);
	if (!doc)
		return error_set(err, ZIB_EPARSE, "%s: not well-formed XML", file);
	if (has_entity_decls(doc)) {
		d.code = XML_CODE_DTD;
		d.line = doctype_line(doc, data, len);
		d.message = "DOCTYPE with entity declarations or an external DTD is refused "
			"(no DTD loading, no entity expansion)";
		if (report)
			zib_report_add(report, &d);
		xmlFreeDoc(doc);
		return error_set(err, ZIB_EPARSE, "%s: DOCTYPE with entities or an external DTD refused", file);
	}
	*out = doc;
	return ZIB_OK;
}

int xml_parse(xmlDoc **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err)
{
	return parse(out, data, len, file, report, err, 0);
}

int xml_parse_columns(xmlDoc **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err)
{
	return parse(out, data, len, file, report, err, 1);
}

const char *xml_node_path(const xmlNode *node, char *buf, size_t size)
{
	xmlChar *p = xmlGetNodePath(node);

	snprintf(buf, size, "%s", p ? (const char *)p : "");
	xmlFree(p);
	return buf;
}

/* The prefix a node is written with in an HL7 v3 path. */
static const char *hl7_prefix_of(const xmlNode *n)
{
	if (!n->ns || !n->ns->href)
		return "";
	if (strcmp((const char *)n->ns->href, "urn:hl7-org:v3") == 0)
		return "hl7:";
	if (strcmp((const char *)n->ns->href, "urn:hl7-org:sdtc") == 0)
		return "sdtc:";
	return n->ns->prefix ? (const char *)n->ns->prefix : "";
}

const char *xml_node_path_hl7(const xmlNode *node, char *buf, size_t size)
{
	const xmlNode *chain[256];
	size_t n = 0, len = 0;
	const char *attr = NULL;

	buf[0] = '\0';
	if (node && node->type == XML_ATTRIBUTE_NODE) {
		attr = (const char *)node->name;
		node = node->parent;
	}
	while (node && node->type == XML_ELEMENT_NODE && n < 256) {
		chain[n++] = node;
		node = node->parent;
	}
	while (n-- > 0) {
		const xmlNode *e = chain[n], *s;
		int pos = 0, count = 0;
		for (s = e->parent ? e->parent->children : e; s; s = s->next) {
			if (s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, (const char *)e->name) == 0 &&
			    s->ns == e->ns) {
				count++;
				if (s == e)
					pos = count;
			}
		}
		if (count > 1)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "/%s%s[%d]",
				hl7_prefix_of(e), e->name, pos);
		else
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "/%s%s",
				hl7_prefix_of(e), e->name);
		if (len >= size)
			break;
	}
	if (attr && len < size)
		snprintf(buf + len, size - len, "/@%s", attr);
	return buf;
}
