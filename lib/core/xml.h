/*
 * xml: the one way libzib parses XML.  Safe by default: no network, no DTD
 * loading, no entity substitution, libxml2's size limits kept (no
 * XML_PARSE_HUGE), line numbers past 65535 (XML_PARSE_BIG_LINES).  A DOCTYPE
 * with entity declarations is refused; an external entity is never fetched.
 * libxml2's messages become findings (ZIB-XML-*) with file:line:col.
 */
#ifndef ZIB_CORE_XML_H
#define ZIB_CORE_XML_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "zib.h"

/* Finding codes of the XML layer. */
#define XML_CODE_MALFORMED "ZIB-XML-001"   /* not well-formed */
#define XML_CODE_DTD "ZIB-XML-002"         /* DOCTYPE / entity declarations refused */
#define XML_CODE_EMPTY "ZIB-XML-003"       /* empty document */

/*
 * Parses data into *out.  A document that is not well-formed is a finding
 * in report (when given) and returns ZIB_EPARSE with *out NULL; err then
 * holds the first message.  The caller frees *out with xmlFreeDoc().
 */
int xml_parse(xmlDoc **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err);

/*
 * The same, and each element remembers the column of its start tag, for
 * findings (libxml2's tree keeps only lines); read it with
 * xml_node_column(), 0 when unknown.  Used by the FHIR XML reader.
 */
int xml_parse_columns(xmlDoc **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err);
int xml_node_column(const xmlNode *node);

/*
 * The external entity loader refuses everything.  While compiling a schema
 * (lib/cda/schema.c) a thread may install its own loader, which sees every
 * load libxml2 asks for on this thread (xs:include, xs:import) until it is
 * reset with xml_set_thread_loader(NULL, NULL).  Documents are never parsed
 * while one is installed, so XXE stays refused for them.
 */
typedef xmlParserInputPtr (*xml_loader_fn)(const char *url, const char *id,
	xmlParserCtxtPtr ctxt, void *data);
void xml_set_thread_loader(xml_loader_fn fn, void *data);

/* Calls once per process, before threads start (libxml2's global init). */
void xml_init(void);

/* The XPath of a node ("/hl7:ClinicalDocument[1]/hl7:component[1]..."),
 * written into buf (xmlGetNodePath, with namespace prefixes). */
const char *xml_node_path(const xmlNode *node, char *buf, size_t size);

/* The XPath of a node (or attribute) as findings on HL7 v3 documents
 * write it: "/hl7:ClinicalDocument/hl7:component/.../@code", with hl7:
 * and sdtc: prefixes and a position only where siblings share a name.
 * Used by the CDA reader and checks, and by Schematron on CDA. */
const char *xml_node_path_hl7(const xmlNode *node, char *buf, size_t size);

#endif
