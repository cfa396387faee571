/*
 * lib/doc: the top of the library.  It knows every format and operation:
 * it sniffs what a document is (sniff.c), reads it into a zib_doc with
 * the format's reader (read.c) and runs the validate pipeline over it
 * (check.c, with FHIR conformance from fhir.c).  Nothing below lib/doc includes this header.
 */
#ifndef ZIB_DOC_DOC_H
#define ZIB_DOC_DOC_H

#include <libxml/tree.h>

#include "zib.h"

/* Whether data starts (after a BOM and white space) with '<'. */
int doc_sniff_looks_like_xml(const char *data, size_t len);

/* Whether data is white space only. */
int doc_sniff_is_blank(const char *data, size_t len);

/* UTF-16 XML as UTF-8: *data and *len point at a converted copy kept in
 * *owned (free() it; NULL when data was not UTF-16).  -1 out of memory. */
int doc_as_utf8(const char **data, size_t *len, char **owned);

/* Whether data holds needle (memmem is not standard C or POSIX). */
int doc_sniff_contains(const char *data, size_t len, const char *needle);

/*
 * Reads data, whatever its format, into *out.  XML is parsed (and checked
 * against opts->schema when given); with xml_out the parsed CDA tree is
 * handed to the caller (free it with xmlFreeDoc), for Schematron.  XML
 * that is no CDA leaves *out NULL with the finding in report.
 */
struct fhir_raw;
int doc_read_any(zib_doc **out, xmlDoc **xml_out, const zib_ctx *ctx,
	const zib_check_options *opts, const char *file, const char *data, size_t len,
	zib_report *report, zib_error *err);
/* The same for FHIR already parsed (raw, not NDJSON): the zib reader's tree
 * is built from it rather than from a second parse of data. */
int doc_read_fhir_raw(zib_doc **out, const zib_ctx *ctx, const char *file,
	const struct fhir_raw *raw, zib_report *report, zib_error *err);

/* The checks opts asks for (ZIB_CHECKS_*): all unless a version 4
 * caller narrowed them. */
int doc_checks(const zib_check_options *opts);

/*
 * FHIR conformance of a document (fhir.c) into report, by the definitions
 * of its FHIR release: R4 by R4's, STU3 by the STU3 definitions loaded
 * (never R4's core rules).  doc is the zib reading of data (it tells the
 * release), or NULL.
 */
int doc_fhir_conformance(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report);
/* The same with data already parsed into raw (NULL: parse data). */
int doc_fhir_conformance_raw(const zib_doc *doc, const zib_check_options *opts,
	const char *file, const char *data, size_t len, const struct fhir_raw *raw,
	zib_report *report);

#endif
