/*
 * The last pass of the CDA writer: the shapes the BgZ 2020 templates
 * (ART-DECOR Schematron) ask for that no zib mapping says: relationship
 * and entry type codes, the vital signs organizer, display names of fixed
 * codes, blood pressure observations that each carry a time, and the
 * like.  It adds and adjusts structure only; it never drops data.
 */
#ifndef ZIB_CDA_WRITE_CONFORM_H
#define ZIB_CDA_WRITE_CONFORM_H

#include <libxml/tree.h>

/* Adjusts the document below root (ClinicalDocument) in place. */
void cda_conform(xmlNode *root, xmlNs *hl7, xmlNs *xsi);

#endif
