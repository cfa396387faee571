/*
 * The CDA reader's internal interface: reading a parsed BgZ CDA document
 * into a zib_doc, the document-level checks, and node paths.
 */
#ifndef ZIB_CDA_CDA_H
#define ZIB_CDA_CDA_H

#include <libxml/tree.h>

#include "model/doc.h"

/* Finding codes of the CDA layer (the full table is lib/diag/codes.c). */
#define CDA_CODE_NOT_CDA "ZIB-CDA-001"
#define CDA_CODE_TEMPLATE "ZIB-CDA-002"
#define CDA_CODE_LOINC "ZIB-CDA-003"
#define CDA_CODE_HEADER "ZIB-CDA-004"
#define CDA_CODE_HEADER_NULL "ZIB-CDA-005"
#define CDA_CODE_NL_HEADER "ZIB-CDA-006"
#define CDA_CODE_SECTION_UNKNOWN "ZIB-CDA-010"
#define CDA_CODE_SECTION_NO_TEMPLATE "ZIB-CDA-011"
#define CDA_CODE_SECTION_NOT_BGZ "ZIB-CDA-012"
#define CDA_CODE_ENTRY_UNKNOWN "ZIB-CDA-013"
#define CDA_CODE_SECTION_EMPTY "ZIB-CDA-014"
#define CDA_CODE_UNMAPPED "ZIB-CDA-020"

/* Reads xml (a parsed CDA document) into a new zib_doc; findings about the
 * document (identity, sections, templates) go to report. */
int cda_read(struct zib_doc **out, const zib_ctx *ctx, xmlDoc *xml, const char *file,
	zib_report *report, zib_error *err);

/* Checks the document's identity: root element, BgZ template, LOINC code,
 * required header parts.  Returns the number of errors found. */
int cda_check_document(xmlDoc *xml, const char *file, zib_report *report);

/* Element child of parent in the HL7 v3 namespace by local name, or NULL. */
xmlNode *cda_child(const xmlNode *parent, const char *name);
/* Attribute value (borrowed from the tree), or NULL. */
const char *cda_attr(const xmlNode *node, const char *name);

#endif
