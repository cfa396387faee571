/*
 * xhtml: the narrative div.  In XML it is real XHTML; in JSON a string of
 * that XHTML.  Both readers turn it into one canonical markup string
 * (fhir_xhtml_dump), so a round trip through either form gives the same bytes.
 */
#ifndef ZIB_FHIR_XHTML_H
#define ZIB_FHIR_XHTML_H

#include <libxml/tree.h>

#include "core/buf.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"

/* Appends the div element and its content as markup, with the XHTML
 * namespace declared on the div.  Returns a message when the content is
 * not plain XHTML (another namespace), else NULL. */
const char *fhir_xhtml_dump(struct buf *b, const xmlNode *div);

/* Parses markup (from JSON) and dumps it canonically into b; returns an
 * error message or NULL.  Plain narratives take the linear scanner
 * (xhtml_fast.c), everything else libxml2; both give the same bytes. */
const char *fhir_xhtml_normalise(struct buf *b, const char *markup, size_t len);

/* The two ways, callable on their own for tests.  The scanner returns 1
 * when it wrote the markup, 0 when it needs libxml2 (b then unchanged). */
int fhir_xhtml_normalise_fast(struct buf *b, const char *markup, size_t len);
const char *fhir_xhtml_normalise_libxml(struct buf *b, const char *markup, size_t len);

#endif
