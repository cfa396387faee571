/* XSD validation of a parsed document (lib/cda/schema.c). */
#ifndef ZIB_CDA_SCHEMA_H
#define ZIB_CDA_SCHEMA_H

#include <libxml/tree.h>

#include "zib.h"

#define XSD_CODE_INVALID "ZIB-XSD-001"

/* Validates xml against schema; each schema error is a finding. */
int cda_schema_validate_doc(const zib_schema *schema, xmlDoc *xml, const char *file,
	zib_report *report, zib_error *err);

#endif
