/*
 * The FHIR zib reader (fhir/zib_read.c): parsed FHIR trees (R4 zib2020 or
 * STU3 zib2017, tolerant parsing) into one zib_doc, references resolved
 * across all trees.
 */
#ifndef ZIB_FHIR_ZIB_READ_H
#define ZIB_FHIR_ZIB_READ_H

#include "fhir/tree.h"
#include "model/doc.h"

/* Finding codes of the FHIR zib reader (man/zib-validate.1).  Never renumber. */
#define FHIRZ_CODE_NO_ZIB "ZIB-FHIRZ-001"      /* resource fits no zib (warning) */
#define FHIRZ_CODE_UNRESOLVED "ZIB-FHIRZ-002"  /* reference does not resolve (warning) */
#define FHIRZ_CODE_UNMAPPED "ZIB-FHIRZ-003"    /* content not mapped to a zib (info) */

/* Reads trees (a tree's root may be a Bundle) into *out, named name.  The
 * trees must outlive the call only (values are copied into the doc). */
int fhir_zib_read_trees(struct zib_doc **out, const zib_ctx *ctx, const char *name,
	struct zib_fhir *const *trees, size_t ntrees, zib_report *report, zib_error *err);

#endif
